import { atom } from '../wire/envelope.ts';
import { dateAtMidnight, localDate } from './user-dates.ts';
import { DEFAULT_USER_FIELDS, ONLINE_WINDOW_SEC, USER_FIELD_LIST, type UserField } from './user-fields.ts';
import type { UserRow } from './user-row.ts';

/** What a view needs besides the user: the caller's visible fields, the time, the server's origin for file URLs. */
export interface UserViewContext {
  visible: ReadonlySet<string>;
  nowMs: number;
  /** `http://host:port` that stored files (`/upload/…`) are served under. */
  origin: string;
  /** `select` of user.get; absent = the default set. */
  select?: ReadonlySet<string>;
}

/** One field's value as user.get shows it (b24restdocs api-reference/user/user-get.md): ids as strings. */
export function userFieldValue(user: UserRow, field: UserField, { nowMs, origin }: UserViewContext): unknown {
  if (field.type === 'online') {
    const last = user.last_activity?.getTime();
    return last !== undefined && nowMs - last < ONLINE_WINDOW_SEC * 1000 ? 'Y' : 'N';
  }
  const raw = field.column ? user[field.column] : user.profile_fields?.[field.name];
  switch (field.type) {
    case 'id':
      return String(raw);
    case 'bool':
      return raw === true;
    case 'departments':
      return Array.isArray(raw) ? raw : [];
    case 'datetime':
      if (!(raw instanceof Date)) return '';
      return field.shownAsDate ? dateAtMidnight(localDate(raw.getTime())) : atom(raw.getTime());
    case 'date':
      return typeof raw === 'string' ? dateAtMidnight(raw) : '';
    case 'file':
      // Files are links, absolute as the platform gives them; stored ones are paths on this server.
      return typeof raw === 'string' && raw.startsWith('/') ? origin + raw : typeof raw === 'string' ? raw : '';
    default:
      return typeof raw === 'string' ? raw : '';
  }
}

function hasValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== '';
}

/**
 * A user with the given fields, or (no `select`) the default set: the docs' example keys always, other visible
 * fields only when they hold a value. Keys follow the user.fields order.
 */
export function userView(user: UserRow, context: UserViewContext): Record<string, unknown> {
  const { visible, select } = context;
  const out: Record<string, unknown> = {};
  for (const field of USER_FIELD_LIST) {
    if (!visible.has(field.name)) continue;
    if (select && !select.has(field.name)) continue;
    const value = userFieldValue(user, field, context);
    if (select || DEFAULT_USER_FIELDS.has(field.name) || hasValue(value)) out[field.name] = value;
  }
  return out;
}

/**
 * `select` of user.get: names, `*` (every visible field) and `UF_*` (every visible UF_ field); unknown or hidden
 * names are skipped, and a select that names nothing visible means the default set.
 */
export function selectedUserFields(select: unknown, visible: ReadonlySet<string>): ReadonlySet<string> | undefined {
  const names = Array.isArray(select)
    ? select
    : select && typeof select === 'object'
      ? Object.values(select)
      : typeof select === 'string' && select !== ''
        ? [select]
        : [];
  const wanted = names.filter((n): n is string => typeof n === 'string').map((n) => n.trim().toUpperCase());
  if (wanted.length === 0) return undefined;
  const out = new Set<string>();
  for (const name of visible) {
    if (wanted.includes('*') || wanted.includes(name) || (name.startsWith('UF_') && wanted.includes('UF_*'))) {
      out.add(name);
    }
  }
  return out.size ? out : undefined;
}
