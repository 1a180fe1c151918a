import type { Caller } from '../domain/caller.ts';
import { hasScope } from '../domain/caller.ts';
import type { RateLimiter } from '../limits/leaky-bucket.ts';
import type { OperatingLimiter } from '../limits/operating-time.ts';
import { type InvokeOutcome, Page, type Services } from '../methods/define.ts';
import { errorBody, successBody, timeBlock } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';
import { collectParams } from '../wire/params/collect.ts';
import type { Params } from '../wire/params/nest.ts';
import { type Credentials, extractCredentials } from './auth.ts';

/** A REST call as the HTTP edge hands it over: no framework types past this point. */
export interface RestRequest {
  method: string;
  webhook?: { userId: string; token: string };
  query: string;
  body: unknown;
  authorization?: string;
  /** Wall-clock ms when the request arrived. */
  startMs: number;
  /** Monotonic ms (`clock.hr()`) at the same moment: `finish` is start plus measured time, never before it. */
  startHr: number;
}

export interface RestResponse {
  status: number;
  body: string;
}

export interface Logger {
  error(obj: unknown, msg?: string): void;
}

/**
 * The ordered stages of every REST call: params → authenticate → rate limit → find method →
 * check scope and auth type → operating time → handler → envelope. Batch commands re-enter at "find method".
 */
export class Pipeline {
  constructor(
    private readonly services: Services,
    private readonly rate: RateLimiter,
    private readonly operating: OperatingLimiter,
    private readonly log: Logger,
  ) {}

  async handle(request: RestRequest): Promise<RestResponse> {
    try {
      const params = collectParams({ query: request.query, body: request.body });
      const credentials = extractCredentials(request.webhook, params, request.authorization);
      const caller = await this.authenticate(credentials);
      if (!this.rate.take(caller.limitKey)) throw new ApiError('QUERY_LIMIT_EXCEEDED');
      const outcome = await this.run(request.method, params, caller, false, request);
      const status = this.operating.status(caller.limitKey, request.method.toLowerCase());
      return {
        status: 200,
        body: successBody(outcome.result, timeBlock(outcome.time, status), outcome.total, outcome.next),
      };
    } catch (error) {
      return this.failure(error);
    }
  }

  /** Batch entry: the same caller, no rate-limit hit (a batch counts once), operating time per command. */
  invoke = (name: string, raw: Params, caller: Caller): Promise<InvokeOutcome> =>
    this.run(name, raw, caller, true, {
      startMs: this.services.clock.now(),
      startHr: this.services.clock.hr(),
    }).catch((error) => {
      const failure = this.toApiError(error);
      return { ok: false, error: failure.code, error_description: failure.description, status: failure.status };
    });

  private async authenticate(credentials: Credentials): Promise<Caller> {
    const { identities } = this.services.domain;
    if (credentials.kind === 'webhook') return identities.webhookCaller(credentials.userId, credentials.token);
    if (credentials.kind === 'token') return identities.tokenCaller(credentials.token);
    throw new ApiError('NO_AUTH_FOUND');
  }

  private async run(
    name: string,
    raw: Params,
    caller: Caller,
    inBatch: boolean,
    { startMs, startHr }: Pick<RestRequest, 'startMs' | 'startHr'>,
  ): Promise<Extract<InvokeOutcome, { ok: true }>> {
    const method = this.services.registry.get(name);
    if (!method) throw new ApiError('ERROR_METHOD_NOT_FOUND');
    if (inBatch && !method.batch) throw new ApiError('ERROR_BATCH_METHOD_NOT_ALLOWED');
    if (!hasScope(caller, method.scope)) throw new ApiError('insufficient_scope');
    if (method.auth === 'application' && caller.authType !== 'oauth') {
      throw new ApiError('WRONG_AUTH_TYPE', method.authError);
    }
    const key = method.name.toLowerCase();
    const accounted = key !== 'batch'; // the outer batch is not accounted, its commands are
    if (accounted && this.operating.status(caller.limitKey, key).blocked) throw new ApiError('OPERATION_TIME_LIMIT');
    const { clock } = this.services;
    const began = clock.hr();
    let result: unknown;
    try {
      result = await method.run({ name: method.name, raw, caller, inBatch }, this.services);
    } finally {
      if (accounted) this.operating.record(caller.limitKey, key, (clock.hr() - began) / 1000);
    }
    const end = clock.hr();
    const time = { startMs, finishMs: startMs + (end - startHr), processingMs: end - began };
    if (result instanceof Page) return { ok: true, result: result.items, total: result.total, next: result.next, time };
    return { ok: true, result, time };
  }

  private toApiError(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    this.log.error({ err: error }, 'method failed');
    return new ApiError('INTERNAL_SERVER_ERROR');
  }

  failure(error: unknown): RestResponse {
    const failure = this.toApiError(error);
    return { status: failure.status, body: errorBody(failure) };
  }
}
