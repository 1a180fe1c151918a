import type { Db } from '../store/db.ts';
import { atom } from '../wire/envelope.ts';
import { ApiError } from '../wire/errors.ts';
import { secret } from '../wire/secrets.ts';
import { botEventData } from './event-data.ts';

/** Filter and order fields of event.offline.get; event.offline.list adds PROCESS_ID and ERROR. */
const COLUMNS: Record<string, string> = {
  ID: 'id',
  TIMESTAMP_X: 'timestamp_x',
  EVENT_NAME: 'event',
  MESSAGE_ID: 'message_id',
  PROCESS_ID: 'process_id',
  ERROR: 'error',
};
const GET_FIELDS = ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID'];
const LIST_FIELDS = [...GET_FIELDS, 'PROCESS_ID', 'ERROR'];
/** Filter keys carry their operation before the field name (`>=ID`); none means equality. */
const OPERATIONS: Record<string, string> = {
  '': '=',
  '=': '=',
  '!': '<>',
  '!=': '<>',
  '>': '>',
  '<': '<',
  '>=': '>=',
  '<=': '<=',
};
const PAGE = 50;

interface OfflineRow {
  id: number;
  timestamp_x: Date;
  event: string;
  message_id: string;
  process_id: string;
  error: boolean;
  user_id: number;
  data: Record<string, unknown>;
  bot_ids: number[];
  bot_codes: string[];
  command: { id: number; command: string; params: string; context: string; messageId: number } | null;
}

export interface OfflineScope {
  appId: number;
  /** auth_connector: the queue is split by source key; '' = events bound without one. */
  connector: string;
}

const SELECT = `SELECT o.id, o.timestamp_x, o.event, o.message_id, o.process_id, o.error,
                       l.user_id, l.data, l.bot_ids, l.bot_codes, l.command
                FROM event_offline o JOIN event_log l ON l.id = o.event_id`;

/**
 * The offline event queue of event.bind `event_type=offline` subscriptions (b24restdocs
 * api-reference/events/offline-events.md), as the event.offline.* methods read and settle it.
 */
export class OfflineEvents {
  constructor(private readonly db: Db) {}

  /**
   * event.offline.get: without `processId`, reserves up to `limit` waiting rows under a new process id (rows
   * locked by a parallel call are skipped, so parallel calls get disjoint sets); with it, re-reads that process.
   * `clear` deletes what was read.
   */
  get(
    scope: OfflineScope,
    query: { filter: unknown; order: unknown; limit: number; clear: boolean; processId: string | null; error: boolean },
  ): Promise<{ process_id: string | null; events: Record<string, unknown>[] }> {
    return this.db.tx(async (tx) => {
      const params: unknown[] = [scope.appId, scope.connector, query.error];
      const where = [
        'o.app_id = $1',
        'o.auth_connector = $2',
        'o.error = $3',
        ...conditions(query.filter, GET_FIELDS, params),
      ];
      const order = orderBy(query.order, GET_FIELDS, 'TIMESTAMP_X');
      let processId = query.processId;
      if (processId === null) {
        processId = secret(16);
        await tx.query(
          `UPDATE event_offline SET process_id = $${params.length + 1}
           WHERE id IN (SELECT o.id FROM event_offline o WHERE ${where.join(' AND ')} AND o.process_id = ''
                        ORDER BY ${order} LIMIT ${query.limit} FOR UPDATE SKIP LOCKED)`,
          [...params, processId],
        );
      }
      params.push(processId);
      const rows = await tx.query<OfflineRow>(
        `${SELECT} WHERE ${where.join(' AND ')} AND o.process_id = $${params.length} ORDER BY ${order} LIMIT ${query.limit}`,
        params,
      );
      if (query.clear && rows.length) {
        await tx.query('DELETE FROM event_offline WHERE id = ANY($1)', [rows.map((r) => r.id)]);
      }
      return { process_id: !query.clear || query.processId !== null ? processId : null, events: rows.map(view) };
    });
  }

  /** event.offline.clear: the process's rows, or only those with the given ids or MESSAGE_IDs. */
  async clear(scope: OfflineScope, processId: string, only: { ids?: number[]; messageIds?: string[] }): Promise<void> {
    const params: unknown[] = [scope.appId, scope.connector, processId];
    let sql = 'DELETE FROM event_offline WHERE app_id = $1 AND auth_connector = $2 AND process_id = $3';
    if (only.ids) {
      params.push(only.ids);
      sql += ' AND id = ANY($4)';
    } else if (only.messageIds) {
      params.push(only.messageIds);
      sql += ' AND message_id = ANY($4)';
    }
    await this.db.query(sql, params);
  }

  /**
   * event.offline.error: marks rows of the process as erroneous and releases them, so `event.offline.get` with
   * `error=1` returns them again.
   */
  async markError(scope: OfflineScope, processId: string, messageIds: string[]): Promise<void> {
    await this.db.query(
      `UPDATE event_offline SET error = true, process_id = ''
       WHERE app_id = $1 AND auth_connector = $2 AND process_id = $3 AND message_id = ANY($4)`,
      [scope.appId, scope.connector, processId, messageIds],
    );
  }

  /** event.offline.list: the queue as it is, pages of 50, with PROCESS_ID and ERROR. */
  async list(
    scope: OfflineScope,
    query: { filter: unknown; order: unknown; start: number },
  ): Promise<{ rows: Record<string, unknown>[]; total: number }> {
    const params: unknown[] = [scope.appId, scope.connector];
    const where = ['o.app_id = $1', 'o.auth_connector = $2', ...conditions(query.filter, LIST_FIELDS, params)];
    const rows = await this.db.query<OfflineRow & { total: number }>(
      `SELECT q.*, count(*) OVER ()::int AS total FROM (${SELECT} WHERE ${where.join(' AND ')}) q
       ORDER BY ${orderBy(query.order, LIST_FIELDS, 'ID', 'q')} LIMIT ${PAGE} OFFSET ${query.start}`,
      params,
    );
    const total =
      rows[0]?.total ??
      (await this.db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM event_offline o WHERE ${where.join(' AND ')}`,
        params,
      ))!.n;
    return {
      rows: rows.map((row) => ({ ...view(row), PROCESS_ID: row.process_id, ERROR: row.error ? '1' : '0' })),
      total,
    };
  }
}

/** A queue row as the methods answer it (event.offline.get example): ids as strings, `false` for nothing. */
function view(row: OfflineRow): Record<string, unknown> {
  const data = row.bot_ids.length
    ? botEventData(row.event, {
        params: row.data,
        bots: row.bot_ids.map((id, i) => ({ id, code: row.bot_codes[i], auth: {} })),
        command: row.command ?? undefined,
      })
    : row.data;
  return {
    ID: String(row.id),
    TIMESTAMP_X: atom(row.timestamp_x.getTime()),
    EVENT_NAME: row.event,
    EVENT_DATA: Object.keys(data).length ? data : false,
    EVENT_ADDITIONAL: row.user_id > 0 ? { user_id: String(row.user_id) } : false,
    MESSAGE_ID: row.message_id,
  };
}

/** `filter` → SQL conditions, values appended to `params`. Unknown fields and operations are errors, as in the rest module. */
function conditions(filter: unknown, fields: string[], params: unknown[]): string[] {
  if (filter === undefined || filter === null || filter === '') return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw argument('Filter must be an object');
  return Object.entries(filter as Record<string, unknown>).map(([key, raw]) => {
    const [, op, field] = /^([^A-Za-z]*)(.*)$/.exec(key)!;
    if (!(op in OPERATIONS)) throw argument(`Filter operation not allowed: ${op}`);
    if (!fields.includes(field.toUpperCase())) throw argument(`Filter field not allowed: ${field}`);
    const name = field.toUpperCase();
    params.push(filterValue(name, raw));
    return `o.${COLUMNS[name]} ${OPERATIONS[op]} $${params.length}`;
  });
}

function filterValue(field: string, raw: unknown): unknown {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    throw argument(`Filter value of ${field} must be a scalar`);
  }
  if (field === 'ID') {
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw argument('Filter value of ID must be an integer');
    return n;
  }
  if (field === 'TIMESTAMP_X') {
    const date = new Date(String(raw));
    if (Number.isNaN(date.getTime())) throw argument('Filter value of TIMESTAMP_X must be a date');
    return date;
  }
  if (field === 'ERROR') return ['1', 'y', 'true'].includes(String(raw).toLowerCase());
  return String(raw);
}

/** `order` → ORDER BY over `alias`, id last so pages are stable. */
function orderBy(order: unknown, fields: string[], fallback: string, alias = 'o'): string {
  const given =
    order === undefined || order === null || order === '' ? { [fallback]: 'ASC' } : (order as Record<string, unknown>);
  if (typeof given !== 'object' || Array.isArray(given)) throw argument('Order must be an object');
  const parts = Object.entries(given).map(([field, direction]) => {
    const name = field.toUpperCase();
    if (!fields.includes(name)) throw argument(`Order field not allowed: ${field}`);
    return `${alias}.${COLUMNS[name]} ${String(direction).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`;
  });
  return [...parts, `${alias}.id`].join(', ');
}

function argument(description: string): ApiError {
  return new ApiError('ERROR_ARGUMENT', description, 400);
}
