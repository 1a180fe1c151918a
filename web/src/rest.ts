import { trackedFetch } from './connection.ts';
import { ApiFailure, type Session } from './session.ts';

export interface Answer<T> {
  result: T;
  total?: number;
  next?: number;
}

/**
 * The REST API as any OAuth client calls it: `POST /rest/{method}` with `auth` in the JSON body. An
 * `expired_token` answer refreshes the token once and repeats the call (what the Bitrix24 SDKs do).
 */
export class Rest {
  constructor(private readonly session: Session) {}

  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return (await this.answer<T>(method, params)).result;
  }

  async answer<T>(method: string, params: Record<string, unknown> = {}): Promise<Answer<T>> {
    try {
      return await this.post<T>(method, params);
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.code !== 'expired_token') throw error;
      await this.session.refresh();
      return this.post<T>(method, params);
    }
  }

  private async post<T>(method: string, params: Record<string, unknown>): Promise<Answer<T>> {
    const response = await trackedFetch(`/rest/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, auth: this.session.accessToken }),
    });
    const body = await response.json().catch(() => ({ error: 'ERROR_UNEXPECTED_ANSWER' }));
    if (body.error) throw new ApiFailure(body.error, body.error_description ?? '', response.status);
    return body as Answer<T>;
  }
}
