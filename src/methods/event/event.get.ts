import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/events/event-get.md: the application's subscriptions, oldest first; a user without
 * admin rights sees only their own. Online: `auth_type` as a string, `offline: 0`; offline: `connector_id`,
 * `offline: 1` (the rest module's answer).
 */
export default defineMethod({
  name: 'event.get',
  scope: 'basic',
  auth: 'application',
  params: {},
  async handler({ caller }, { domain }) {
    const rows = await domain.eventHandlers.list(caller.app!.id, caller.isAdmin ? undefined : caller.userId);
    return rows.map((row) =>
      row.offline
        ? { event: row.event, connector_id: row.auth_connector, offline: 1 }
        : { event: row.event, handler: row.handler, auth_type: String(row.user_id), offline: 0 },
    );
  },
});
