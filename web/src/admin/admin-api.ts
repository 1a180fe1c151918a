import { trackedFetch } from '../connection.ts';
import { ApiFailure, type Session } from '../session.ts';

/**
 * The admin JSON API (`/admin/api/…`, src/admin/api.ts) with the signed-in administrator's access token as the
 * bearer; `{result}` on success, the Bitrix24 error envelope otherwise.
 */
export class AdminApi {
  constructor(private readonly session: Session) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: Record<string, unknown>, retried = false): Promise<T> {
    const response = await trackedFetch(`/admin/api/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.session.accessToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = await response.json().catch(() => ({ error: 'ERROR_UNEXPECTED_ANSWER' }));
    if (answer.error === 'expired_token' && !retried) {
      await this.session.refresh();
      return this.request<T>(method, path, body, true);
    }
    if (answer.error) throw new ApiFailure(answer.error, answer.error_description ?? '', response.status);
    return answer.result as T;
  }
}
