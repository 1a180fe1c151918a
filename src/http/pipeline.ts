import type { Caller } from '../domain/caller.ts';
import { hasScope } from '../domain/caller.ts';
import type { RateLimiter } from '../limits/leaky-bucket.ts';
import type { OperatingLimiter } from '../limits/operating-time.ts';
import { type InvokeOutcome, Page, type Services } from '../methods/define.ts';
import { isRedisUnavailable } from '../store/redis.ts';
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

/** One REST call as an observer sees it: after authentication, before the rate limit and the method. */
export interface ObservedCall {
  method: string;
  caller: Caller;
  params: Params;
}

/** What an observer learns once a top-level call is answered (the caller is absent when authentication failed). */
export interface AnsweredCall {
  method: string;
  caller?: Caller;
  params: Params;
  status: number;
  /** The answer as sent. */
  body: string;
  startMs: number;
  durationMs: number;
  /** The id of the injected fault that answered, if one did. */
  faultId?: string;
  /** What the method told the developer beside its answer (MethodCall.warn, an error's hint). */
  notes?: string[];
}

/**
 * Hooks the control API (fault injection, the inspector) sets on the pipeline. `intercept` may wait (injected
 * latency) and may answer with an error instead of the method (`{error, faultId}`).
 */
export interface CallObserver {
  intercept?(call: ObservedCall): Promise<{ error: ApiError; faultId: string } | undefined> | undefined;
  answered?(call: AnsweredCall): void;
}

export interface Logger {
  error(obj: unknown, msg?: string): void;
}

/**
 * The ordered stages of every REST call: params → authenticate → rate limit → find method →
 * check scope and auth type → operating time → handler → envelope. Batch commands re-enter at "find method".
 */
export class Pipeline {
  /** The control API's hooks and the call log; with none, a call pays nothing for them. */
  private readonly observers: CallObserver[] = [];

  constructor(
    private readonly services: Services,
    private readonly rate: RateLimiter,
    private readonly operating: OperatingLimiter,
    private readonly log: Logger,
  ) {}

  /** Adds hooks to every top-level call; returns how to remove them. */
  observe(observer: CallObserver): () => void {
    this.observers.push(observer);
    return () => {
      const at = this.observers.indexOf(observer);
      if (at >= 0) this.observers.splice(at, 1);
    };
  }

  async handle(request: RestRequest): Promise<RestResponse> {
    if (this.observers.length === 0) return this.answer(request);
    // One object per call, filled in as the call goes and handed to the observers as it is.
    const call: AnsweredCall = {
      method: request.method,
      caller: undefined,
      params: {},
      status: 0,
      body: '',
      startMs: request.startMs,
      durationMs: 0,
      faultId: undefined,
      notes: undefined,
    };
    const response = await this.answer(request, call);
    call.status = response.status;
    call.body = response.body;
    call.durationMs = this.services.clock.hr() - request.startHr;
    for (const observer of this.observers) observer.answered?.(call);
    return response;
  }

  /** The first observer's fault, if one answers this call instead of the method. */
  private async intercepted(call: ObservedCall): Promise<{ error: ApiError; faultId: string } | undefined> {
    for (const observer of this.observers) {
      const fault = await observer.intercept?.(call);
      if (fault) return fault;
    }
    return undefined;
  }

  private async answer(request: RestRequest, seen?: AnsweredCall): Promise<RestResponse> {
    try {
      const params = collectParams({ query: request.query, body: request.body });
      if (seen) seen.params = params;
      const credentials = extractCredentials(request.webhook, params, request.authorization);
      const caller = await this.authenticate(credentials);
      if (seen) {
        seen.caller = caller;
        const fault = await this.intercepted({ method: request.method, caller, params });
        if (fault) {
          seen.faultId = fault.faultId;
          throw fault.error;
        }
      }
      if (!(await this.rate.take(caller.limitKey))) throw new ApiError('QUERY_LIMIT_EXCEEDED');
      await this.services.domain.users.noteActivity(caller.userId);
      const outcome = await this.run(request.method, params, caller, false, request, seen);
      const status = await this.operating.status(caller.limitKey, request.method.toLowerCase());
      return {
        status: 200,
        body: successBody(outcome.result, timeBlock(outcome.time, status), outcome.total, outcome.next),
      };
    } catch (error) {
      if (error instanceof ApiError && error.hint) this.note(request.method, error.hint, seen);
      return this.failure(error);
    }
  }

  /** A note for the developer: a warning in the log, and on the call the observers (the inspector) see. */
  private note(method: string, message: string, seen?: AnsweredCall, detail: object = {}): void {
    this.services.log.warn({ method, ...detail }, message);
    if (seen) (seen.notes ??= []).push(message);
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
    seen?: AnsweredCall,
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
    if (accounted && (await this.operating.status(caller.limitKey, key)).blocked) {
      throw new ApiError('OPERATION_TIME_LIMIT');
    }
    const { clock } = this.services;
    const began = clock.hr();
    let result: unknown;
    try {
      const warn = (detail: object, message: string) => this.note(method.name, message, seen, detail);
      result = await method.run({ name: method.name, raw, caller, inBatch, warn }, this.services);
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
    if (isRedisUnavailable(error)) return new ApiError('OVERLOAD_LIMIT');
    this.log.error({ err: error }, 'method failed');
    return new ApiError('INTERNAL_SERVER_ERROR');
  }

  failure(error: unknown): RestResponse {
    const failure = this.toApiError(error);
    return { status: failure.status, body: errorBody(failure) };
  }
}
