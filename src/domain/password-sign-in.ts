import type { SignInThrottle } from '../limits/sign-in-throttle.ts';
import { ApiError } from '../wire/errors.ts';
import type { UserRow } from './user-row.ts';
import { checkPassword, hashPassword, type Users } from './users.ts';

/** Who may sign in with a password: active people (bots chat through the REST API, not the browser). */
export const canSignIn = (user: UserRow) => user.active && !user.is_bot;

/** The administrator's password of a new store (Users.ensureAdmin). */
export const DEFAULT_PASSWORD = 'admin';
export const MIN_PASSWORD_LENGTH = 8;

export interface PasswordAttempt {
  login: unknown;
  password: unknown;
  /** The client's address, for the throttle. */
  address: string;
  /** The replacement when the password is the default one. */
  newPassword?: unknown;
  /** Outside development mode the default password only signs in together with a new one. */
  requireChange: boolean;
}

/**
 * Sign-in with login (or e-mail) and password for the web pages and `/oauth/authorize/`: throttled per login and
 * address, and the default `admin` password must be replaced at the first sign-in outside development mode
 * (docs/decisions.md "Web messenger and admin pages").
 */
export class PasswordSignIn {
  constructor(
    private readonly users: Users,
    private readonly throttle: SignInThrottle,
  ) {}

  async verify(attempt: PasswordAttempt): Promise<UserRow> {
    const login = typeof attempt.login === 'string' ? attempt.login : '';
    const password = typeof attempt.password === 'string' ? attempt.password : '';
    const wait = this.throttle.retryAfter(login, attempt.address);
    if (wait > 0) {
      const error = new ApiError(
        'QUERY_LIMIT_EXCEEDED',
        `Too many failed sign-in attempts; try again in ${wait} seconds`,
      );
      error.extra = { retry_after: wait };
      throw error;
    }
    const user = login ? await this.users.byLogin(login) : undefined;
    if (!user || !canSignIn(user) || !checkPassword(password, user.password_hash)) {
      this.throttle.failed(login, attempt.address);
      throw new ApiError('WRONG_LOGIN');
    }
    this.throttle.succeeded(login);
    if (attempt.requireChange && password === DEFAULT_PASSWORD) {
      if (attempt.newPassword === undefined || attempt.newPassword === '')
        throw new ApiError('PASSWORD_CHANGE_REQUIRED');
      const next = attempt.newPassword;
      if (typeof next !== 'string' || next.length < MIN_PASSWORD_LENGTH || next === DEFAULT_PASSWORD) {
        throw new ApiError('PASSWORD_TOO_WEAK');
      }
      return this.users.update(user.id, { password_hash: hashPassword(next) });
    }
    return user;
  }
}
