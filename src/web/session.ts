import type { AppRow, Identities, TokenGrant } from '../domain/identities.ts';
import { canSignIn, type PasswordSignIn } from '../domain/password-sign-in.ts';
import { fullName, type Users } from '../domain/users.ts';
import { ApiError } from '../wire/errors.ts';

/** What the sign-in form posts: login and password, and a new password where the default must be replaced. */
export interface PasswordForm {
  login?: unknown;
  password?: unknown;
  new_password?: unknown;
}

/**
 * The web messenger's sign-in: the browser posts a login and password here and gets the same token grant an
 * OAuth client gets from `/oauth/token/`, issued for the built-in application. Everything after that is the
 * plain REST API with `auth` (docs/decisions.md, "Web messenger").
 */
export class WebSessions {
  constructor(
    private readonly identities: Identities,
    private readonly users: Users,
    private readonly signIn: PasswordSignIn,
    private readonly app: AppRow,
    private readonly dev: boolean,
  ) {}

  /** Throttled per login and address; outside development mode the default password must be replaced first. */
  async withPassword(form: PasswordForm, address: string): Promise<TokenGrant> {
    const user = await this.signIn.verify({
      login: form.login,
      password: form.password,
      newPassword: form.new_password,
      address,
      requireChange: !this.dev,
    });
    return this.identities.issueTokens(this.app, user.id);
  }

  /** Development mode's one-click sign-in. */
  async asUser(userId: unknown): Promise<TokenGrant> {
    if (!this.dev) throw new ApiError('WRONG_LOGIN');
    const id = Number(userId);
    const user = Number.isInteger(id) && id > 0 ? await this.users.get(id) : undefined;
    if (!user || !canSignIn(user)) throw new ApiError('WRONG_LOGIN');
    return this.identities.issueTokens(this.app, user.id);
  }

  /** The browser cannot hold the client secret, so the server refreshes for it (a confidential client's backend). */
  refresh(refreshToken: unknown): Promise<TokenGrant> {
    if (typeof refreshToken !== 'string' || !refreshToken) throw new ApiError('invalid_grant', 'Invalid refresh token');
    return this.identities.refresh(this.app, refreshToken);
  }

  /** The development-mode picker: people who can sign in, with the administrator marked. */
  async pickable(): Promise<{ id: number; name: string; isAdmin: boolean }[]> {
    return (await this.users.list())
      .filter(canSignIn)
      .map((u) => ({ id: u.id, name: fullName(u) || `User ${u.id}`, isAdmin: u.is_admin }));
  }
}
