import { trackedFetch } from '../connection.ts';
import { ApiFailure, type Session } from '../session.ts';

/**
 * The admin JSON API (`/admin/api/…`, src/admin/api.ts; `{result}` on success) and the control API
 * (`/_b24local/…`, src/control/; the answer itself), both with the signed-in administrator's access token as the
 * bearer; the Bitrix24 error envelope otherwise. An expired token is refreshed once and the call repeated.
 */
export class AdminApi {
  constructor(private readonly session: Session) {}

  get<T>(path: string): Promise<T> {
    return this.request<{ result: T }>('GET', `/admin/api/${path}`).then((a) => a.result);
  }

  post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    return this.request<{ result: T }>('POST', `/admin/api/${path}`, body).then((a) => a.result);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<{ result: T }>('DELETE', `/admin/api/${path}`).then((a) => a.result);
  }

  /** A control API call (`GET requests?…`, `POST deliveries/7/replay`). */
  control<T>(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<T> {
    return this.request<T>(method, `/_b24local/${path}`, body);
  }

  private async request<T>(method: string, url: string, body?: Record<string, unknown>, retried = false): Promise<T> {
    const response = await trackedFetch(url, {
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
      return this.request<T>(method, url, body, true);
    }
    if (answer.error) throw new ApiFailure(answer.error, answer.error_description ?? '', response.status);
    return answer as T;
  }
}
