/** The token grant the sign-in endpoint answers with: the same fields `/oauth/token/` returns. */
export interface Grant {
  access_token: string;
  refresh_token: string;
  expires: number;
  user_id: number;
}

/** A failed call, by the Bitrix24 error code and description of the answer. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    description: string,
    readonly status: number,
  ) {
    super(description || code);
  }
}

const STORAGE_KEY = 'b24-local.session';

/** Posts JSON to one of our own endpoints and returns the parsed answer or throws its error. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || answer.error) {
    throw new ApiFailure(
      answer.error ?? 'HTTP_ERROR',
      answer.error_description ?? response.statusText,
      response.status,
    );
  }
  return answer as T;
}

/**
 * The signed-in person's tokens, kept in localStorage so a reload stays signed in. Refresh goes through the
 * server (the browser has no client secret); concurrent callers share one refresh.
 */
export class Session {
  private refreshing: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private grant: Grant | null = Session.stored()) {}

  private static stored(): Grant | null {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Grant | null;
    } catch {
      return null;
    }
  }

  get userId(): number | null {
    return this.grant?.user_id ?? null;
  }

  get accessToken(): string | null {
    return this.grant?.access_token ?? null;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(
    credentials: { login: string; password: string; new_password?: string } | { user_id: number },
  ): Promise<void> {
    this.set(await postJson<Grant>('/web/session', credentials));
  }

  signOut(): void {
    this.set(null);
  }

  /** Swaps the expired access token for a new pair; a refused refresh signs the person out. */
  refresh(): Promise<void> {
    const current = this.grant;
    if (!current) return Promise.reject(new ApiFailure('NO_AUTH_FOUND', 'Signed out', 401));
    this.refreshing ??= postJson<Grant>('/web/session/refresh', { refresh_token: current.refresh_token })
      .then(
        (grant) => this.set(grant),
        (error) => {
          this.set(null);
          throw error;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private set(grant: Grant | null): void {
    this.grant = grant;
    if (grant) localStorage.setItem(STORAGE_KEY, JSON.stringify(grant));
    else localStorage.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener();
  }
}
