import type { DeliveryAttempt, DeliveryFault } from '../app.ts';
import type { ObservedCall } from '../http/pipeline.ts';
import { ApiError, ERRORS } from '../wire/errors.ts';
import { bad, globMatcher, type Input, intField, numberField, oneOf, stringField } from './input.ts';

const DELIVERY_ACTIONS = ['fail', 'delay', 'duplicate', 'reorder'] as const;

/** How often a rule fires: `times` left (then it is gone), or `percent` of the matching calls, or always. */
interface Budget {
  times?: number;
  percent?: number;
}

export interface RestFault extends Budget {
  id: string;
  kind: 'rest';
  method: string;
  error?: string;
  app?: string;
  webhook?: number;
  bot?: number;
  latencyMs?: number;
  hits: number;
}

export interface DeliveryRule extends Budget {
  id: string;
  kind: 'delivery';
  action: (typeof DELIVERY_ACTIONS)[number];
  bot?: number;
  url?: string;
  event?: string;
  delayMs?: number;
  holdMs?: number;
  hits: number;
}

export type Fault = RestFault | DeliveryRule;

/**
 * Injected faults. A REST rule answers matching calls with a catalog error (its status, code and text, exactly
 * as the real failure) and/or holds them `latencyMs` first; a delivery rule fails, delays, duplicates or reorders
 * matching event POSTs. Rules are checked in the order they were added; the first that fires wins.
 */
export class Faults {
  private rules: Fault[] = [];
  private seq = 0;

  list(): Fault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Validates a rule as `POST /_b24local/faults` takes it; every bad field is a 400 naming it. */
  add(input: Input): Fault {
    const budget: Budget = {
      times: intField(input, 'times', 1, 1_000_000),
      percent: numberField(input, 'percent', 0, 100),
    };
    if (budget.times !== undefined && budget.percent !== undefined)
      throw bad('times', 'and percent exclude each other');
    const bot = intField(input, 'bot', 1, 2 ** 31 - 1);
    const id = `f${++this.seq}`;
    let rule: Fault;
    if (input.delivery !== undefined) {
      const action = oneOf(input, 'delivery', DELIVERY_ACTIONS)!;
      rule = {
        id,
        kind: 'delivery',
        action,
        ...budget,
        bot,
        url: stringField(input, 'url'),
        event: stringField(input, 'event'),
        delayMs: action === 'delay' ? (intField(input, 'delayMs', 0, 600_000) ?? 1000) : undefined,
        holdMs: action === 'reorder' ? (intField(input, 'holdMs', 1, 600_000) ?? 1000) : undefined,
        hits: 0,
      };
    } else {
      const error = stringField(input, 'error');
      if (error !== undefined && !Object.hasOwn(ERRORS, error)) {
        throw bad('error', `${error} is no error code of the catalog (e.g. QUERY_LIMIT_EXCEEDED, expired_token)`);
      }
      const latencyMs = intField(input, 'latencyMs', 0, 120_000);
      if (error === undefined && latencyMs === undefined) throw bad('error', 'is required (or latencyMs)');
      rule = {
        id,
        kind: 'rest',
        method: stringField(input, 'method') ?? '*',
        error,
        ...budget,
        app: stringField(input, 'app'),
        webhook: intField(input, 'webhook', 1, 2 ** 31 - 1),
        bot,
        latencyMs,
        hits: 0,
      };
    }
    this.rules.push(stripUndefined(rule));
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The pipeline's intercept: waits the rule's latency, then answers its error if it has one. */
  /** No rule fires for most calls: they get `undefined` at once, not a promise. */
  intercept(call: ObservedCall): Promise<{ error: ApiError; faultId: string } | undefined> | undefined {
    const rule = this.fire('rest', (r) => restMatches(r, call));
    return rule && this.answer(rule);
  }

  private async answer(
    rule: Extract<Fault, { kind: 'rest' }>,
  ): Promise<{ error: ApiError; faultId: string } | undefined> {
    if (rule.latencyMs) await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
    return rule.error ? { error: new ApiError(rule.error), faultId: rule.id } : undefined;
  }

  delivery(attempt: DeliveryAttempt): DeliveryFault | undefined {
    const rule = this.fire('delivery', (r) => deliveryMatches(r, attempt));
    if (!rule) return undefined;
    if (rule.action === 'delay') return { faultId: rule.id, action: 'delay', ms: rule.delayMs ?? 0 };
    if (rule.action === 'reorder') return { faultId: rule.id, action: 'reorder', holdMs: rule.holdMs ?? 1000 };
    return { faultId: rule.id, action: rule.action };
  }

  private fire<K extends Fault['kind']>(
    kind: K,
    matches: (rule: Extract<Fault, { kind: K }>) => boolean,
  ): Extract<Fault, { kind: K }> | undefined {
    for (const rule of this.rules) {
      if (rule.kind !== kind || !matches(rule as Extract<Fault, { kind: K }>)) continue;
      if (rule.percent !== undefined && Math.random() * 100 >= rule.percent) continue;
      rule.hits++;
      if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
      return rule as Extract<Fault, { kind: K }>;
    }
    return undefined;
  }
}

function restMatches(rule: RestFault, call: ObservedCall): boolean {
  if (!globMatcher(rule.method)(call.method)) return false;
  if (rule.app !== undefined && rule.app !== appOf(call)) return false;
  if (rule.webhook !== undefined && rule.webhook !== call.caller.webhookId) return false;
  if (rule.bot !== undefined && rule.bot !== botOf(call.params)) return false;
  return true;
}

function deliveryMatches(rule: DeliveryRule, attempt: DeliveryAttempt): boolean {
  if (rule.bot !== undefined && !attempt.botIds.includes(rule.bot)) return false;
  if (rule.url !== undefined && !globMatcher(rule.url)(attempt.url)) return false;
  if (rule.event !== undefined && !globMatcher(rule.event)(attempt.event)) return false;
  return true;
}

/** The application a call acts for: the token's, or `custom{CLIENT_ID}` of a webhook call (as bots are owned). */
export function appOf(call: { caller?: ObservedCall['caller']; params: Record<string, unknown> }): string | undefined {
  if (call.caller?.app) return call.caller.app.clientId;
  const clientId = param(call.params, 'CLIENT_ID');
  return call.caller ? `custom${clientId ?? ''}` : undefined;
}

/** The bot a call names: BOT_ID (v1) or botId (v2). */
export function botOf(params: Record<string, unknown>): number | undefined {
  const value = param(params, 'BOT_ID') ?? param(params, 'botId');
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A scalar param by name, any letter case (Bitrix24 reads most params case-insensitively). */
export function param(params: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(params)) {
    if (key.toLowerCase() === lower && (typeof value === 'string' || typeof value === 'number')) return String(value);
  }
  return undefined;
}

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
