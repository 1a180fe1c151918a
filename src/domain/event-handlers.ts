import type { Db } from '../store/db.ts';
import { ApiError } from '../wire/errors.ts';
import type { EventSink } from './events.ts';

export interface EventHandlerRow {
  id: number;
  app_id: number;
  event: string;
  handler: string;
  offline: boolean;
  user_id: number;
  auth_connector: string;
  options: Record<string, unknown>;
}

export interface BindInput {
  appId: number;
  event: string;
  /** '' for an offline subscription. */
  handler: string;
  offline: boolean;
  /** auth_type: whose tokens the handler gets; 0 = the user who fired the event. */
  userId: number;
  authConnector: string;
  options: Record<string, unknown>;
}

/** event.bind subscriptions of OAuth applications (b24restdocs api-reference/events/event-bind.md). */
export class EventHandlers {
  constructor(
    private readonly db: Db,
    private readonly events: EventSink,
  ) {}

  async bind(input: BindInput): Promise<void> {
    const rows = await this.db.query(
      `INSERT INTO event_handlers (app_id, event, handler, offline, user_id, auth_connector, options)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [
        input.appId,
        input.event,
        input.handler,
        input.offline,
        input.userId,
        input.authConnector,
        JSON.stringify(input.options),
      ],
    );
    // The rest module's wording for a second identical subscription (event.bind "errors and diagnostics").
    if (!rows.length) throw new ApiError('ERROR_CORE', 'Unable to set event handler: Handler already binded');
  }

  /**
   * Removes the application's subscriptions to `event` at `handler`; `userId` narrows to one auth_type, offline
   * ones match by auth_connector. Returns how many went.
   */
  async unbind(filter: {
    appId: number;
    event: string;
    handler: string;
    offline: boolean;
    userId?: number;
    authConnector: string;
  }): Promise<number> {
    const params: unknown[] = [filter.appId, filter.event, filter.handler, filter.offline];
    let sql = 'DELETE FROM event_handlers WHERE app_id = $1 AND event = $2 AND handler = $3 AND offline = $4';
    if (filter.offline) {
      params.push(filter.authConnector);
      sql += ` AND auth_connector = $${params.length}`;
    } else if (filter.userId !== undefined) {
      params.push(filter.userId);
      sql += ` AND user_id = $${params.length}`;
    }
    return (await this.db.query(`${sql} RETURNING id`, params)).length;
  }

  /** The application's subscriptions, oldest first; `userId` given: only those bound for that user. */
  list(appId: number, userId?: number): Promise<EventHandlerRow[]> {
    return userId === undefined
      ? this.db.query<EventHandlerRow>('SELECT * FROM event_handlers WHERE app_id = $1 ORDER BY id', [appId])
      : this.db.query<EventHandlerRow>('SELECT * FROM event_handlers WHERE app_id = $1 AND user_id = $2 ORDER BY id', [
          appId,
          userId,
        ]);
  }

  /** event.test: ONAPPTEST to the application's handlers, `data[QUERY]` = the call's params. */
  test(appId: number, userId: number, query: Record<string, unknown>): Promise<void> {
    return this.db.tx((tx) =>
      this.events.emitApp(tx, { event: 'ONAPPTEST', appId, userId, data: { QUERY: query, LANGUAGE_ID: 'en' } }),
    );
  }
}
