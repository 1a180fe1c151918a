import type { Caller } from '../domain/caller.ts';
import { hasScope } from '../domain/caller.ts';
import type { RateLimiter } from '../limits/leaky-bucket.ts';
import type { OperatingLimiter } from '../limits/operating-time.ts';
import { type InvokeOutcome, Page, type Services } from '../methods/define.ts';
import { isRedisUnavailable } from '../store/redis.ts';
import { errorBody, successBody } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';
import { type MaybePromise, then } from '../wire/maybe-promise.ts';
import { collectParams } from '../wire/params/collect.ts';
import type { Params } from '../wire/params/nest.ts';
import { type Credentials, extractCredentials, withoutCredentials } from './auth.ts';

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

/** One method run as its operating time is accounted: when it began, and under which limit key and method. */
interface MethodSpan {
  startMs: number;
  startHr: number;
  began: number;
  limitKey: string;
  key: string;
  accounted: boolean;
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

  /**
   * The answer at once when every stage finds what it reads cached (a plain sendTyping), else a promise: the stages
   * are chained with `then`, since each `await` costs a promise, a suspended frame and a microtask turn (P1).
   */
  handle(request: RestRequest): MaybePromise<RestResponse> {
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
    return then(this.answer(request, call), (response) => {
      call.status = response.status;
      call.body = response.body;
      call.durationMs = this.services.clock.hr() - request.startHr;
      for (const observer of this.observers) observer.answered?.(call);
      return response;
    });
  }

  /** The first observer's fault, if one answers this call instead of the method. */
  private intercepted(call: ObservedCall, from = 0): MaybePromise<{ error: ApiError; faultId: string } | undefined> {
    for (let i = from; i < this.observers.length; i++) {
      const fault = this.observers[i].intercept?.(call);
      if (fault) return fault.then((found) => found ?? this.intercepted(call, i + 1));
    }
    return undefined;
  }

  /** Every stage's failure, thrown or rejected, as an answer. */
  private answer(request: RestRequest, seen?: AnsweredCall): MaybePromise<RestResponse> {
    try {
      const answered = this.stages(request, seen);
      return answered instanceof Promise ? answered.catch((error) => this.failed(request, error, seen)) : answered;
    } catch (error) {
      return this.failed(request, error, seen);
    }
  }

  private failed(request: RestRequest, error: unknown, seen: AnsweredCall | undefined): RestResponse {
    if (error instanceof ApiError && error.hint) this.note(request.method, error.hint, seen);
    return this.failure(error);
  }

  /** A note for the developer: a warning in the log, and on the call the observers (the inspector) see. */
  private note(method: string, message: string, seen?: AnsweredCall, detail: object = {}): void {
    this.services.log.warn({ method, ...detail }, message);
    if (!seen) return;
    seen.notes ??= [];
    seen.notes.push(message);
  }

  private stages(request: RestRequest, seen: AnsweredCall | undefined): MaybePromise<RestResponse> {
    const collected = collectParams({ query: request.query, body: request.body });
    const credentials = extractCredentials(request.webhook, collected, request.authorization);
    const params = withoutCredentials(collected);
    if (seen) seen.params = params;
    return then(this.authenticate(credentials), (caller) => {
      if (!seen) return this.admitted(request, params, caller, seen);
      seen.caller = caller;
      return then(this.intercepted({ method: request.method, caller, params }), (fault) => {
        if (fault) {
          seen.faultId = fault.faultId;
          throw fault.error;
        }
        return this.admitted(request, params, caller, seen);
      });
    });
  }

  /** Past authentication and faults: rate limit, activity, the method, the envelope. */
  private admitted(
    request: RestRequest,
    params: Params,
    caller: Caller,
    seen: AnsweredCall | undefined,
  ): MaybePromise<RestResponse> {
    return then(this.rate.take(caller.limitKey), (allowed) => {
      if (!allowed) throw new ApiError('QUERY_LIMIT_EXCEEDED');
      return then(this.services.domain.users.noteActivity(caller.userId), () =>
        then(this.run(request.method, params, caller, false, request, seen), (outcome) =>
          then(this.operating.status(caller.limitKey, request.method.toLowerCase()), (status) => ({
            status: 200,
            body: successBody(outcome.result, outcome.time, status, outcome.total, outcome.next),
          })),
        ),
      );
    });
  }

  /** Batch entry: the same caller, no rate-limit hit (a batch counts once), operating time per command. */
  invoke = async (name: string, raw: Params, caller: Caller): Promise<InvokeOutcome> => {
    const { clock } = this.services;
    try {
      return await this.run(name, raw, caller, true, { startMs: clock.now(), startHr: clock.hr() });
    } catch (error) {
      const failure = this.toApiError(error);
      return { ok: false, error: failure.code, error_description: failure.description, status: failure.status };
    }
  };

  private authenticate(credentials: Credentials): MaybePromise<Caller> {
    const { identities } = this.services.domain;
    if (credentials.kind === 'webhook') return identities.webhookCaller(credentials.userId, credentials.token);
    if (credentials.kind === 'token') return identities.tokenCaller(credentials.token);
    throw new ApiError('NO_AUTH_FOUND');
  }

  private run(
    name: string,
    raw: Params,
    caller: Caller,
    inBatch: boolean,
    { startMs, startHr }: Pick<RestRequest, 'startMs' | 'startHr'>,
    seen?: AnsweredCall,
  ): MaybePromise<Extract<InvokeOutcome, { ok: true }>> {
    const method = this.services.registry.get(name);
    if (!method) throw new ApiError('ERROR_METHOD_NOT_FOUND');
    if (inBatch && !method.batch) throw new ApiError('ERROR_BATCH_METHOD_NOT_ALLOWED');
    if (!hasScope(caller, method.scope)) throw new ApiError('insufficient_scope');
    if (method.auth === 'application' && caller.authType !== 'oauth') {
      throw new ApiError('WRONG_AUTH_TYPE', method.authError);
    }
    const key = method.name.toLowerCase();
    const accounted = key !== 'batch'; // the outer batch is not accounted, its commands are
    return then(accounted ? this.operating.status(caller.limitKey, key) : undefined, (status) => {
      if (status?.blocked) throw new ApiError('OPERATION_TIME_LIMIT');
      const span = { startMs, startHr, began: this.services.clock.hr(), limitKey: caller.limitKey, key, accounted };
      let result: unknown;
      try {
        const warn = (detail: object, message: string) => this.note(method.name, message, seen, detail);
        result = method.run({ name: method.name, raw, caller, inBatch, warn }, this.services);
      } catch (error) {
        this.record(span);
        throw error;
      }
      if (!(result instanceof Promise)) return this.done(span, result);
      return result.then(
        (value) => this.done(span, value),
        (error) => {
          this.record(span);
          throw error;
        },
      );
    });
  }

  /** The method's time counts against its operating limit whether it answers or fails. */
  private record(span: MethodSpan): void {
    if (span.accounted) this.operating.record(span.limitKey, span.key, (this.services.clock.hr() - span.began) / 1000);
  }

  private done(span: MethodSpan, result: unknown): Extract<InvokeOutcome, { ok: true }> {
    this.record(span);
    const end = this.services.clock.hr();
    const { startMs, startHr, began } = span;
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
