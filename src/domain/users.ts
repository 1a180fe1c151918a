import { scryptSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { CacheBus, SharedCache } from '../store/cache-bus.ts';
import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import type { MaybePromise } from '../wire/maybe-promise.ts';
import { secret } from '../wire/secrets.ts';
import { SqlParams, type UserFind, userOrder, userWhere } from './user-filter.ts';
import type { UserRow } from './user-row.ts';

export function fullName(user: Pick<UserRow, 'name' | 'last_name'>): string {
  return [user.name, user.last_name].filter(Boolean).join(' ');
}

export function hashPassword(password: string): string {
  const salt = secret(8);
  return `${salt}:${scryptSync(password, salt, 32).toString('hex')}`;
}

export function checkPassword(password: string, stored: string | null): boolean {
  if (!stored) return false;
  const [salt, hash] = stored.split(':');
  const actual = scryptSync(password, salt, 32);
  const expected = Buffer.from(hash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * hashPassword('admin') made once: the seeded administrator's password is public (README), so its hash needs no
 * fresh salt, and a first start saves a blocking scrypt (about a tenth of a second).
 */
const ADMIN_PASSWORD_HASH = '1a44c301c331a739:4395468647fbc2722683afc62e317ccb2b28790081a54caf940d584f533d33f1';

/** LAST_ACTIVITY_DATE is written at most this often per user: a REST call or a Push & Pull connection is activity. */
export const ACTIVITY_STEP_MS = 60_000;
/** Users whose activity one statement writes. */
const ACTIVITY_BATCH = 500;

export class Users {
  private readonly cache: SharedCache<number, UserRow>;
  /** When each user's last_activity was last written (ms), so a busy caller costs one write a minute. */
  private readonly activityWritten = new Map<number, number>();
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    caches: CacheBus,
  ) {
    this.cache = caches.cache('users');
  }

  /** At once when cached (REST hot paths chain it with `then`), else after reading the row. */
  get(id: number): MaybePromise<UserRow | undefined> {
    return this.cache.get(id) ?? this.read(id);
  }

  private async read(id: number): Promise<UserRow | undefined> {
    const row = await this.db.one<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    if (row) this.cache.fill(id, row);
    return row;
  }

  /** Every user, bots included, by id (the admin pages and the OAuth sign-in page). */
  list(): Promise<UserRow[]> {
    return this.db.query<UserRow>('SELECT * FROM users ORDER BY id');
  }

  /** Sign-in: logins are matched case-insensitively. */
  byLogin(login: string): Promise<UserRow | undefined> {
    return this.db.one<UserRow>('SELECT * FROM users WHERE lower(login) = lower($1)', [login]);
  }

  async require(id: number): Promise<UserRow> {
    const user = await this.get(id);
    if (!user) throw new ApiError('ERROR_CORE', `User ${id} not found`, 400);
    return user;
  }

  async getMany(ids: number[]): Promise<Map<number, UserRow>> {
    const out = new Map<number, UserRow>();
    const missing = ids.filter((id) => {
      const row = this.cache.get(id);
      if (row) out.set(id, row);
      return !row;
    });
    if (missing.length) {
      for (const row of await this.db.query<UserRow>('SELECT * FROM users WHERE id = ANY($1)', [missing])) {
        this.cache.fill(row.id, row);
        out.set(row.id, row);
      }
    }
    return out;
  }

  async create(fields: Partial<UserRow>, db: Db = this.db): Promise<UserRow> {
    const columns = Object.keys(fields) as (keyof UserRow)[];
    const now = new Date(this.clock.now());
    const names = [...columns, 'date_register', 'timestamp_x'];
    const values = [...columns.map((c) => fields[c]), now, now];
    const row = await db.one<UserRow>(
      `INSERT INTO users (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      values,
    );
    db.afterCommit(() => this.cache.set(row!.id, row!));
    return row!;
  }

  async update(id: number, fields: Partial<UserRow>, db: Db = this.db): Promise<UserRow> {
    const columns = Object.keys(fields) as (keyof UserRow)[];
    const sets = columns.map((c, i) => `${c} = $${i + 2}`);
    sets.push(`timestamp_x = $${columns.length + 2}`);
    const row = await db.one<UserRow>(`UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, [
      id,
      ...columns.map((c) => fields[c]),
      new Date(this.clock.now()),
    ]);
    if (!row) throw new ApiError('ERROR_CORE', `User ${id} not found`, 400);
    db.afterCommit(() => this.cache.set(id, row));
    return row;
  }

  /** One page of user.get / user.search (bots excluded); `count: false` skips the total (`start=-1`). */
  async find(query: UserFind, page: { offset: number; limit: number; count: boolean }) {
    const params = new SqlParams();
    const where = userWhere(query, params);
    const order = userOrder(query, params);
    const rows = await this.db.query<UserRow>(
      `SELECT u.* FROM users u WHERE ${where} ORDER BY ${order}
       LIMIT ${params.add(page.limit)} OFFSET ${params.add(Math.min(page.offset, 2 ** 31 - 1))}`,
      params.values,
    );
    let total = 0;
    if (page.count) {
      const counted = new SqlParams();
      const row = await this.db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM users u WHERE ${userWhere(query, counted)}`,
        counted.values,
      );
      total = row?.n ?? 0;
    }
    return { rows, total };
  }

  /** The user (other than `exceptId`) whose e-mail this is, case-insensitively. */
  async byEmail(email: string, exceptId = 0): Promise<UserRow | undefined> {
    return this.db.one<UserRow>('SELECT * FROM users WHERE lower(email) = lower($1) AND id <> $2 LIMIT 1', [
      email,
      exceptId,
    ]);
  }

  /** Drops one cached user, or every one. */
  forget(id?: number): void {
    if (id === undefined) this.cache.clear();
    else this.cache.delete(id);
  }

  /**
   * The user is active now (a REST call, a Push & Pull connection): LAST_ACTIVITY_DATE and IS_ONLINE read
   * `last_activity`, written at most once per ACTIVITY_STEP_MS per user.
   */
  noteActivity(id: number): MaybePromise<void> {
    const written = this.activityWritten.get(id);
    if (written !== undefined && this.clock.now() - written < ACTIVITY_STEP_MS) return; // the usual case: no write
    return this.noteActivityOf([id]);
  }

  /**
   * The same for many users at once (every user connected to Push & Pull, each sweep): one statement per
   * `ACTIVITY_BATCH` users rather than one round trip and one commit each, which for 10,000 listeners held the
   * event loop and the store's cores for seconds every minute.
   */
  async noteActivityOf(ids: Iterable<number>): Promise<void> {
    const now = this.clock.now();
    const due: number[] = [];
    for (const id of ids) {
      const written = this.activityWritten.get(id);
      if (id > 0 && (written === undefined || now - written >= ACTIVITY_STEP_MS)) due.push(id);
    }
    if (due.length === 0) return;
    if (this.activityWritten.size + due.length > 100_000) this.activityWritten.clear();
    for (const id of due) this.activityWritten.set(id, now);
    for (let i = 0; i < due.length; i += ACTIVITY_BATCH) {
      const batch = due.slice(i, i + ACTIVITY_BATCH);
      await this.db.query('UPDATE users SET last_activity = $2 WHERE id = ANY($1)', [batch, new Date(now)]);
      // Rows cached here follow the write; others are not read in: a connected listener is no reason to keep its
      // user's row in memory (10,000 idle sockets would hold 10,000 rows). Other nodes drop their copies either way.
      for (const id of batch) {
        const cached = this.cache.get(id);
        if (cached) this.cache.set(id, { ...cached, last_activity: new Date(now) });
        else this.cache.delete(id);
      }
    }
  }

  /** A deleted bot's user stays, inactive (its messages keep their author). */
  async deactivate(id: number, db: Db = this.db): Promise<void> {
    await db.query('UPDATE users SET active = false WHERE id = $1', [id]);
    db.afterCommit(() => this.cache.delete(id));
  }

  /** The seeded administrator, user 1, on an empty store (several nodes may start on it at once). */
  async ensureAdmin(): Promise<void> {
    const admin = await this.db.one('SELECT id FROM users WHERE id = 1');
    if (admin) return;
    await this.db.query(
      `INSERT INTO users (id, name, last_name, email, login, password_hash, is_admin, work_position)
       VALUES (1, 'Admin', 'Local', 'admin@b24.local', 'admin', $1, true, 'Administrator') ON CONFLICT DO NOTHING`,
      [ADMIN_PASSWORD_HASH],
    );
    await this.db.query(`SELECT setval('users_id_seq', GREATEST((SELECT max(id) FROM users), 1))`);
  }
}
