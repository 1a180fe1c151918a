/** What b24-local knows about one event an application can bind (event.bind) or list (events). */
export interface EventSpec {
  /** The scope that offers it; `basic` events are offered to every application. */
  scope: 'basic' | 'imbot';
  /**
   * `auth[refresh_token]` is sent: long-lived events (b24restdocs api-reference/events/index.md#auth), and the
   * chat-bot events whose examples carry it (every one but ONIMBOTDELETE).
   */
  refreshToken: boolean;
  /** event.bind `options` it accepts, with their types (b24restdocs on-offline-event.md#min-timeout). */
  options?: Record<string, 'int'>;
  /** ONOFFLINEEVENT signals the offline queue and cannot be queued itself. */
  onlineOnly?: boolean;
}

const basic = (refreshToken = false): EventSpec => ({ scope: 'basic', refreshToken });
const imbot = (refreshToken = true): EventSpec => ({ scope: 'imbot', refreshToken });

/**
 * Events in the order `events` lists them (b24restdocs api-reference/events/events.md): the `basic` ones every
 * application gets, then those of the `imbot` scope (…/chat-bots/outdated/events/index.md). The `im` scope has
 * no event.bind events: its user events are polled with im.v2.Event.get.
 */
export const EVENT_CATALOG: Record<string, EventSpec> = {
  ONAPPUNINSTALL: basic(),
  ONAPPINSTALL: basic(true),
  ONAPPUPDATE: basic(),
  ONAPPPAYMENT: basic(),
  ONAPPTEST: basic(),
  ONAPPMETHODCONFIRM: basic(),
  ONOFFLINEEVENT: { scope: 'basic', refreshToken: true, options: { minTimeout: 'int' }, onlineOnly: true },
  ONIMBOTMESSAGEADD: imbot(),
  ONIMBOTMESSAGEUPDATE: imbot(),
  ONIMBOTMESSAGEDELETE: imbot(),
  // CIMRestService registers OnImBotJoinChat without sendRefreshToken (the page's example has no refresh_token).
  ONIMBOTJOINCHAT: imbot(false),
  ONIMBOTDELETE: imbot(false),
  ONIMCOMMANDADD: imbot(),
};

/** Event names offered to an application with these scopes (`null` = every scope), `basic` always included. */
export function eventsForScopes(scopes: ReadonlySet<string> | null): string[] {
  return Object.entries(EVENT_CATALOG)
    .filter(([, spec]) => spec.scope === 'basic' || scopes === null || scopes.has(spec.scope))
    .map(([name]) => name);
}
