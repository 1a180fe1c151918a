import { ApiError } from '../wire/errors.ts';
import { coerceBool, coerceInt, INVALID } from '../wire/params/coerce.ts';
import { parseDate } from './user-dates.ts';
import { USER_FIELDS_BY_NAME } from './user-fields.ts';
import type { UserRow } from './user-row.ts';

/** What user.add / user.update change: columns, the profile fields without a column, and files to store. */
export interface UserChanges {
  columns: Partial<UserRow>;
  profile: Record<string, string>;
  /** PERSONAL_PHOTO / WORK_LOGO as given (`[name, base64]` or base64); the caller stores them. */
  files: Record<string, unknown>;
}

// Field errors are ERROR_CORE, the code user.update documents for "Error updating user fields"
// (b24restdocs api-reference/user/user-update.md).
const wrong = (name: string, what: string) => new ApiError('ERROR_CORE', `${name}: ${what}`);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A plausible e-mail address (the platform's check_email is a similar shape test) of b_user's 255 characters. */
export function isEmail(value: string): boolean {
  return value.length <= 255 && EMAIL.test(value);
}

/** Reads the writable fields of user.add / user.update (names case-insensitive, unknown ones ignored). */
export function userChanges(raw: Record<string, unknown>): UserChanges {
  const changes: UserChanges = { columns: {}, profile: {}, files: {} };
  const columns = changes.columns as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const name = key.toUpperCase();
    const field = USER_FIELDS_BY_NAME.get(name);
    if (!field?.writable || value === undefined) continue;
    let stored: unknown;
    switch (field.type) {
      case 'bool': {
        stored = coerceBool(value ?? '');
        if (stored === INVALID) throw wrong(name, 'must be Y or N');
        break;
      }
      case 'departments': {
        const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [value];
        stored = list.filter((v) => v !== '' && v !== null).map((v) => coerceInt(v));
        if ((stored as unknown[]).some((v) => v === INVALID || (v as number) <= 0 || (v as number) >= 2 ** 31)) {
          throw wrong(name, 'must be a list of department ids');
        }
        break;
      }
      case 'file':
        changes.files[name] = value;
        continue;
      default: {
        if (value !== null && typeof value === 'object') throw wrong(name, 'must be a string');
        stored = value === null ? '' : String(value);
        if (field.type === 'date' && stored !== '') {
          stored = parseDate(stored as string);
          if (stored === null) throw wrong(name, 'wrong date');
        }
        if (name === 'EMAIL') stored = (stored as string).trim();
        if (name === 'PERSONAL_GENDER') {
          stored = (stored as string).toUpperCase();
          if (!['', 'M', 'F'].includes(stored as string)) throw wrong(name, 'must be M, F or empty');
        }
      }
    }
    if (field.column) columns[field.column] = stored;
    else changes.profile[name] = stored as string;
  }
  return changes;
}
