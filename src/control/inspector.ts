import type { DeliveryAttempt, DeliveryOutcome } from '../app.ts';
import type { AnsweredCall } from '../http/pipeline.ts';
import type { PullCommand, Recipients } from '../realtime/hub.ts';
import { appOf, botOf, param } from './faults.ts';
import { bad, globMatcher, type Input, intField, oneOf, stringField } from './input.ts';

const KINDS = ['rest', 'pull', 'delivery'] as const;

/** What the inspector shows of a caller: never its token. */
interface CallerView {
  type: 'webhook' | 'oauth';
  userId: number;
  webhookId?: number;
  app?: string;
}

export interface InspectorItem {
  id: number;
  kind: (typeof KINDS)[number];
  /** REST method, `module.command` of a Push & Pull command, or the event name of a delivery. */
  method: string;
  /** HTTP status of the answer (REST) or of the handler (delivery; null when it did not answer). */
  status: number | null;
  params: unknown;
  answer: unknown;
  durationMs: number;
  /** ISO time by the server's (virtual) clock. */
  at: string;
  caller?: CallerView;
  app?: string;
  bots?: number[];
  dialogId?: string;
  /** The injected fault that decided this item. */
  fault?: string;
  /** Deliveries: the event, the delivery and its attempt, the handler URL, the failure. */
  eventId?: number;
  deliveryId?: number;
  attempt?: number;
  url?: string;
  error?: string | null;
  /** Push & Pull: who it went to. */
  recipients?: Recipients;
  /** REST: what the server told the developer beside the answer (a call a portal answers silently, a hint). */
  notes?: string[];
}

/** Param and answer keys whose values are secrets: shown as `[redacted]`. */
const SECRET_KEY = /token|secret|password|^auth$|^code$/i;

/**
 * A bounded ring of what the server did: every REST call, Push & Pull command and event delivery attempt, newest
 * first when read. REST answers are kept as sent and parsed (and redacted) only when read, so recording costs a
 * push on the hot path.
 */
export class Inspector {
  private readonly ring: (
    | InspectorItem
    | { raw: AnsweredCall; id: number }
    | { pull: PullCommand; recipients: Recipients; id: number; atMs: number }
  )[] = [];
  /** The slot the next item goes to: the ring fills up to its capacity, then overwrites its oldest item. */
  private next = 0;
  private seq = 0;

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  rest(call: AnsweredCall): void {
    this.push({ raw: call, id: ++this.seq });
  }

  /** Every pull command (a typing fan-out is one per call): kept as published, its view made when read. */
  pull(command: PullCommand, recipients: Recipients): void {
    this.push({ pull: command, recipients, id: ++this.seq, atMs: this.now() });
  }

  delivery(attempt: DeliveryAttempt, outcome: DeliveryOutcome): void {
    this.push({
      ...this.stamp('delivery', attempt.event),
      status: outcome.status,
      params: redact(attempt.payload),
      answer: outcome.answer === null ? null : redact(parseMaybe(outcome.answer)),
      durationMs: round(outcome.durationMs),
      app: attempt.appKey,
      bots: attempt.botIds,
      dialogId: attempt.dialogId || undefined,
      fault: outcome.faultId,
      eventId: attempt.eventId,
      deliveryId: attempt.deliveryId,
      attempt: attempt.attempt,
      url: attempt.url,
      error: outcome.error,
    });
  }

  clear(): void {
    this.ring.length = 0;
    this.next = 0;
  }

  /**
   * `GET /_b24local/requests`: newest first, filtered; `since` gives only items newer than that id (live views),
   * `delivery` the attempts of one event delivery (the deliveries admin page shows its payload and answers).
   */
  query(input: Input): InspectorItem[] {
    const kind = oneOf(input, 'kind', KINDS);
    const method = stringField(input, 'method');
    const app = stringField(input, 'app');
    const bot = intField(input, 'bot', 1, 2 ** 31 - 1);
    const dialogId = stringField(input, 'dialogId');
    const delivery = intField(input, 'delivery', 1, Number.MAX_SAFE_INTEGER);
    const status = statusFilter(input.status);
    const since = intField(input, 'since', 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = intField(input, 'limit', 1, this.capacity) ?? 100;
    const methodMatches = method === undefined ? () => true : globMatcher(method);
    const out: InspectorItem[] = [];
    const { length } = this.ring;
    for (let k = 1; k <= length && out.length < limit; k++) {
      const i = (this.next - k + length) % length; // newest first
      if (this.ring[i].id <= since) break;
      const item = this.view(i);
      if (kind && item.kind !== kind) continue;
      if (!methodMatches(item.method)) continue;
      if (app !== undefined && item.app !== app) continue;
      if (bot !== undefined && !item.bots?.includes(bot)) continue;
      if (dialogId !== undefined && item.dialogId !== dialogId) continue;
      if (delivery !== undefined && item.deliveryId !== delivery) continue;
      if (!status(item)) continue;
      out.push(item);
    }
    return out;
  }

  private view(i: number): InspectorItem {
    const entry = this.ring[i];
    if ('pull' in entry) {
      const { pull: command, recipients } = entry;
      const dialogId = command.params.dialogId;
      const item: InspectorItem = {
        id: entry.id,
        kind: 'pull',
        method: `${command.module_id}.${command.command}`,
        at: new Date(entry.atMs).toISOString(),
        status: null,
        params: redact(command.params),
        answer: null,
        durationMs: 0,
        dialogId: typeof dialogId === 'string' ? dialogId : undefined,
        recipients,
      };
      this.ring[i] = item; // made once
      return item;
    }
    if (!('raw' in entry)) return entry;
    const { raw: call } = entry;
    const bot = botOf(call.params);
    const dialogId = param(call.params, 'DIALOG_ID');
    const item: InspectorItem = {
      id: entry.id,
      kind: 'rest',
      method: call.method,
      status: call.status,
      params: redact(call.params),
      answer: redact(parseMaybe(call.body)),
      durationMs: round(call.durationMs),
      at: new Date(call.startMs).toISOString(),
      caller: call.caller && {
        type: call.caller.authType,
        userId: call.caller.userId,
        ...(call.caller.webhookId === null ? {} : { webhookId: call.caller.webhookId }),
        ...(call.caller.app ? { app: call.caller.app.clientId } : {}),
      },
      app: appOf(call),
      ...(bot === undefined ? {} : { bots: [bot] }),
      ...(dialogId === undefined ? {} : { dialogId }),
      ...(call.faultId ? { fault: call.faultId } : {}),
      ...(call.notes ? { notes: call.notes } : {}),
    };
    this.ring[i] = item; // parsed once
    return item;
  }

  private stamp(kind: InspectorItem['kind'], method: string) {
    return { id: ++this.seq, kind, method, at: new Date(this.now()).toISOString() };
  }

  /** Into the next slot: no element moves (shift() moved the whole ring's 2,000 slots per call). */
  private push(item: (typeof this.ring)[number]): void {
    if (this.ring.length < this.capacity) this.ring.push(item);
    else this.ring[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }
}

/** `status=200`, `status=4xx`, `status=error` (anything but 2xx), `status=ok`. */
function statusFilter(value: unknown): (item: InspectorItem) => boolean {
  if (value === undefined || value === '') return () => true;
  const text = String(value).toLowerCase();
  if (text === 'ok') return (item) => item.status !== null && item.status < 300;
  if (text === 'error') return (item) => item.status === null || item.status >= 300;
  if (/^\d{3}$/.test(text)) return (item) => item.status === Number(text);
  if (/^\dxx$/.test(text)) return (item) => item.status !== null && Math.floor(item.status / 100) === Number(text[0]);
  throw bad('status', 'must be an HTTP status (200), a class (4xx), ok or error');
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A copy with every secret-named key's value replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && (typeof v === 'string' || typeof v === 'number') ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
