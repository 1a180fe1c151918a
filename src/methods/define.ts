import type { Clock } from '../clock.ts';
import type { Config } from '../config/config.ts';
import { type Caller, requireApplication } from '../domain/caller.ts';
import type { PortalInfo } from '../domain/identities.ts';
import type { Domain } from '../domain/index.ts';
import type { Hub } from '../realtime/hub.ts';
import type { PullServer } from '../realtime/pull-server.ts';
import type { PullService } from '../realtime/pull-service.ts';
import type { TimeSpan } from '../wire/envelope.ts';
import type { MaybePromise } from '../wire/maybe-promise.ts';
import { bindParams } from '../wire/params/bind.ts';
import type { ParamShape, ParamValues } from '../wire/params/coerce.ts';
import type { Params } from '../wire/params/nest.ts';

/** What a handler may use. Plain services, no HTTP. */
export interface Services {
  domain: Domain;
  config: Config;
  clock: Clock;
  hub: Hub;
  registry: MethodCatalog;
  portal: () => PortalInfo;
  /** Runs one command as the same caller (batch); the answer as the batch needs it. */
  invoke: (name: string, raw: Params, caller: Caller) => Promise<InvokeOutcome>;
  /** Filled by the features that provide them; absent when the feature is off. */
  extensions: Extensions;
  /** The server's log (pino): where a call that a portal answers silently tells the developer what happened. */
  log: { warn(detail: object, message: string): void };
}

/** What features add to the services: Push & Pull's config service and its running server. */
export interface Extensions {
  pull?: PullService;
  pullServer?: PullServer;
}

/** The methods this server serves (the registry), as `methods`, `method.get` and `scope` read them. */
export interface MethodCatalog {
  get(name: string): Method | undefined;
  all(): Method[];
}

export type InvokeOutcome =
  | { ok: true; result: unknown; total?: number; next?: number; time: TimeSpan }
  | { ok: false; error: string; error_description: string; status: number };

export interface MethodCall<P> {
  name: string;
  params: P;
  /** Every param as it came, after nesting, without auth keys. */
  raw: Params;
  caller: Caller;
  inBatch: boolean;
  /**
   * Tells the developer what a portal does silently (`true` for a call that changed nothing): a warning in the log,
   * and a note on the call in the request inspector.
   */
  warn(detail: object, message: string): void;
}

/** A page of a list method: `total` always, `next` when more rows exist (50 per page, `start`). */
export class Page {
  constructor(
    readonly items: unknown,
    readonly total: number,
    readonly next: number | undefined,
  ) {}
}

export const PAGE_SIZE = 50;

/** Reads `start` the way list methods do: offset ≥ 0; `-1` skips counting; anything else is 0. */
export function pageStart(raw: Params): number {
  const value = Number(raw.start ?? raw.START ?? 0);
  return Number.isInteger(value) && value >= -1 ? value : 0;
}

export function page<T>(items: T[], total: number, start: number, size = PAGE_SIZE): Page {
  if (start === -1) return new Page(items, 0, undefined);
  return new Page(items, total, start + size < total ? start + size : undefined);
}

export interface MethodDefinition<S extends ParamShape = ParamShape> {
  name: string;
  /** The scope that grants the method, or several that each do. */
  scope: string | readonly string[];
  params: S;
  /** `application`: OAuth only (webhooks get WRONG_AUTH_TYPE). */
  auth?: 'any' | 'application';
  /** The method's own WRONG_AUTH_TYPE description, when its page documents one. */
  authError?: string;
  /** False for methods refused inside batch (ERROR_BATCH_METHOD_NOT_ALLOWED). */
  batch?: boolean;
  /**
   * The v1 bot methods that resolve their application before reading any param (CIMRestService: the client id
   * check opens imbot.register, message.*, sendTyping, command.*): a webhook call without CLIENT_ID is refused
   * with ACCESS_DENIED whatever else is wrong.
   */
  applicationFirst?: boolean;
  /** Rewrites the raw params before they are bound (the chat methods' DIALOG_ID standing for CHAT_ID). */
  prepare?: (raw: Params) => Params;
  /** A value at once, or a promise: a handler whose reads hit the caches can answer without a microtask turn. */
  handler(call: MethodCall<ParamValues<S>>, services: Services): MaybePromise<unknown>;
}

export interface Method {
  name: string;
  scope: string | readonly string[];
  auth: 'any' | 'application';
  authError?: string;
  batch: boolean;
  run(call: Omit<MethodCall<unknown>, 'params'>, services: Services): MaybePromise<unknown>;
}

export function defineMethod<S extends ParamShape>(definition: MethodDefinition<S>): Method {
  return {
    name: definition.name,
    scope: definition.scope,
    auth: definition.auth ?? 'any',
    authError: definition.authError,
    batch: definition.batch ?? true,
    run(call, services) {
      if (definition.applicationFirst) requireApplication(call.caller, call.raw);
      const raw = definition.prepare ? definition.prepare(call.raw) : call.raw;
      const params = bindParams(definition.params, raw);
      const { name, caller, inBatch, warn } = call; // not a spread of `call`: this runs for every call
      return definition.handler({ name, raw, caller, inBatch, warn, params }, services);
    },
  };
}
