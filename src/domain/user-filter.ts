import { ApiError } from '../wire/errors.ts';
import { coerceBool, coerceInt, INVALID } from '../wire/params/coerce.ts';
import { parseDate, parseInstant } from './user-dates.ts';
import { ONLINE_WINDOW_SEC, USER_FIELDS_BY_NAME, type UserField } from './user-fields.ts';

// The FILTER of user.get / user.search as SQL (b24restdocs api-reference/user/user-get.md, user-search.md).
// Keys may carry an operator prefix; a key naming a field the caller cannot see, or no field at all, is ignored,
// the way the platform drops keys outside its allowed list. A value that cannot be read (a date that is not a
// date, an id that is not a number) matches nothing, as the page says of dates.

export interface UserFind {
  filter: Record<string, unknown>;
  /** user.search reads NAME, LAST_NAME, SECOND_NAME, WORK_POSITION as prefix searches and accepts FIND. */
  mode: 'get' | 'search';
  visible: ReadonlySet<string>;
  sort?: unknown;
  order?: unknown;
  nowMs: number;
}

const MAX_INT4 = 2 ** 31 - 1;

type Kind = 'int' | 'text' | 'bool' | 'instant' | 'day' | 'intarray';

/** At most this many values in one FILTER (PostgreSQL binds at most 65,535 params in a statement). */
export const MAX_FILTER_VALUES = 10_000;

/** Collects positional parameters for one statement. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    if (this.values.length >= MAX_FILTER_VALUES) {
      throw new ApiError('INVALID_REQUEST', `FILTER has more than ${MAX_FILTER_VALUES} values`, 400);
    }
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const OPERATORS = ['!=%', '!%=', '>=', '<=', '=%', '%=', '!@', '!%', '!=', '>', '<', '@', '%', '=', '!'] as const;
type Operator = (typeof OPERATORS)[number] | '';

/** Splits `>=DATE_REGISTER` into operator and upper-cased field name. */
export function parseFilterKey(key: string): { op: Operator; name: string } | null {
  const op = OPERATORS.find((o) => key.startsWith(o)) ?? '';
  const name = key.slice(op.length).toUpperCase();
  return /^[A-Z0-9_]+$/.test(name) ? { op, name } : null;
}

const SEARCH_FIELDS = ['NAME', 'LAST_NAME', 'SECOND_NAME', 'WORK_POSITION'];
const DATE_TEXT = "'^\\d{4}-\\d{2}-\\d{2}$'";

function fieldSql(field: UserField, params: SqlParams, nowMs: number): { sql: string; kind: Kind } {
  const stored = field.column ? `u.${field.column}` : `coalesce(u.profile_fields->>'${field.name}', '')`;
  switch (field.type) {
    case 'id':
      return { sql: stored, kind: 'int' };
    case 'bool':
      return { sql: stored, kind: 'bool' };
    case 'online':
      return {
        sql: `coalesce(u.last_activity > ${params.add(new Date(nowMs - ONLINE_WINDOW_SEC * 1000))}, false)`,
        kind: 'bool',
      };
    case 'departments':
      return { sql: stored, kind: 'intarray' };
    case 'datetime':
      return { sql: stored, kind: 'instant' };
    case 'date':
      // Stored as text; only well-formed dates take part, compared as text (same order as dates).
      return { sql: `(CASE WHEN ${stored} ~ ${DATE_TEXT} THEN ${stored} END)`, kind: 'day' };
    default:
      return { sql: stored, kind: 'text' };
  }
}

/** A filter value in the field's terms; `null` = "empty" (`false`, `null`, `''` on a non-text field). */
function convert(kind: Kind, raw: unknown): unknown {
  if (kind === 'bool') return coerceBool(raw);
  if (kind === 'text') {
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    return raw === null ? '' : INVALID;
  }
  if (raw === null || raw === false || raw === '') return null;
  if (kind === 'int' || kind === 'intarray') {
    const n = coerceInt(raw);
    return n !== INVALID && Math.abs(n) <= MAX_INT4 ? n : INVALID; // ids are PostgreSQL integers
  }
  if (typeof raw !== 'string') return INVALID;
  if (kind === 'instant') {
    const ms = parseInstant(raw);
    return ms === null ? INVALID : new Date(ms);
  }
  return parseDate(raw) ?? INVALID;
}

const likeEscape = (s: string) => s.replace(/[\\_%]/g, (c) => `\\${c}`);
/** A pattern whose own `%` are wildcards; `_` and `\` stay literal. */
const likeRaw = (s: string) => s.replace(/[\\_]/g, (c) => `\\${c}`);

function values(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (raw && typeof raw === 'object') return Object.values(raw);
  return [raw];
}

/** One `[op]FIELD: value` condition. */
function condition(op: Operator, field: UserField, raw: unknown, params: SqlParams, nowMs: number): string {
  const { sql, kind } = fieldSql(field, params, nowMs);
  const negated = op.startsWith('!');
  const base = negated ? op.slice(1) : op; // '' | '=' | '%' | '=%' | '%=' | '@'
  const list = values(raw).map((v) => convert(kind, v));
  if (list.some((v) => v === INVALID)) return 'FALSE';
  if (kind === 'int' && (base === '' || base === '=') && list.length > 1 && !list.includes(null)) {
    // A list of ids, however long, is one array param.
    const any = `${sql} = ANY(${params.add(list)}::int[])`;
    return negated ? `(${any} IS NOT TRUE)` : any;
  }
  const elem = kind === 'intarray' ? 'd' : sql;
  const one = (v: unknown): string => {
    if (v === null) {
      if (kind === 'intarray') return `cardinality(${sql}) = 0`;
      return kind === 'instant' || kind === 'day' ? `${sql} IS NULL` : 'FALSE';
    }
    let test: string;
    if (base === '%') test = `${elem}::text ILIKE ${params.add(`%${likeEscape(String(v))}%`)} ESCAPE '\\'`;
    else if (base === '=%' || base === '%=') test = `${elem}::text ILIKE ${params.add(likeRaw(String(v)))} ESCAPE '\\'`;
    else if (['>', '>=', '<', '<='].includes(base)) test = `${elem} ${base} ${params.add(v)}`;
    else if (kind !== 'text') test = `${elem} = ${params.add(v)}`;
    // No operator on text is LIKE with the value's own `%` (the docs' `{"NAME": "Iv%"}` finds names starting
    // with "Iv"), and matches the whole value otherwise; `=` is the exact match. Both ignore case, like the
    // platform's MySQL collation.
    else if (base === '' && String(v).includes('%'))
      test = `${sql} ILIKE ${params.add(likeRaw(String(v)))} ESCAPE '\\'`;
    else test = `lower(${sql}) = lower(${params.add(v)})`;
    return kind === 'intarray' ? `EXISTS (SELECT 1 FROM unnest(${sql}) AS d WHERE ${test})` : test;
  };
  const positive = list.length ? `(${list.map(one).join(' OR ')})` : 'FALSE';
  return negated ? `(${positive} IS NOT TRUE)` : positive;
}

/** FIND / NAME_SEARCH: every word must start one of the name fields or the job title (a "right LIKE"). */
function quickSearch(raw: unknown, params: SqlParams, nowMs: number): string {
  if (typeof raw !== 'string' && typeof raw !== 'number') return 'FALSE';
  const words = String(raw).trim().split(/\s+/).filter(Boolean);
  const perWord = words.map((word) => {
    const starts = params.add(`${likeEscape(word)}%`);
    const inside = params.add(`% ${likeEscape(word)}%`);
    const fields = SEARCH_FIELDS.map((name) => fieldSql(USER_FIELDS_BY_NAME.get(name)!, params, nowMs).sql);
    return `(${fields.map((f) => `${f} ILIKE ${starts} ESCAPE '\\' OR ${f} ILIKE ${inside} ESCAPE '\\'`).join(' OR ')})`;
  });
  return perWord.length ? perWord.join(' AND ') : 'TRUE';
}

/** The WHERE clause (without bots, which user.get never lists) for a user.get / user.search filter. */
export function userWhere(find: UserFind, params: SqlParams): string {
  const parts = ['NOT u.is_bot'];
  const keys = Object.entries(find.filter)
    .map(([key, value]) => ({ key: parseFilterKey(key), value }))
    .filter((e): e is { key: { op: Operator; name: string }; value: unknown } => e.key !== null);
  const hasFind = find.mode === 'search' && keys.some((e) => e.key.name === 'FIND');
  for (const { key, value } of keys) {
    const { op, name } = key;
    if (name === 'NAME_SEARCH' || (name === 'FIND' && find.mode === 'search')) {
      parts.push(quickSearch(value, params, find.nowMs));
      continue;
    }
    if (find.mode === 'search' && op === '' && (SEARCH_FIELDS.includes(name) || name === 'UF_DEPARTMENT_NAME')) {
      // FIND cannot be combined with the per-field search keys (user-search.md): FIND wins.
      if (hasFind) continue;
      // No departments exist on a local server, so a department name matches nobody.
      if (name === 'UF_DEPARTMENT_NAME') parts.push(value === '' || value === undefined ? 'TRUE' : 'FALSE');
      else if (typeof value !== 'string' && typeof value !== 'number') parts.push('FALSE');
      else {
        const field = fieldSql(USER_FIELDS_BY_NAME.get(name)!, params, find.nowMs);
        parts.push(`${field.sql} ILIKE ${params.add(`${likeEscape(String(value))}%`)} ESCAPE '\\'`);
      }
      continue;
    }
    const field = USER_FIELDS_BY_NAME.get(name);
    if (!field || !(find.visible.has(name) || name === 'IS_ONLINE')) continue;
    parts.push(condition(op, field, value, params, find.nowMs));
  }
  return parts.join(' AND ');
}

/** ORDER BY for `sort` (any visible field) and `order` (ASC/DESC); ID ascending by default and as tie-breaker. */
export function userOrder(find: UserFind, params: SqlParams): string {
  const name = typeof find.sort === 'string' ? find.sort.trim().toUpperCase() : 'ID';
  const field = USER_FIELDS_BY_NAME.get(name);
  const direction = typeof find.order === 'string' && find.order.trim().toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
  if (!field || !find.visible.has(name)) return `u.id ${direction}`;
  const { sql } = fieldSql(field, params, find.nowMs);
  return `${sql} ${direction}, u.id ASC`;
}
