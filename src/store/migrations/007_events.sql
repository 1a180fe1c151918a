-- Events: the durable event log, its deliveries to handler URLs (the outbox), event.bind subscriptions and the
-- offline queue. Written by src/delivery/outbox-event-sink.ts inside the transaction of the change that fired the
-- event; read by the dispatcher (src/delivery/dispatcher.ts), the event.offline.* methods and v2 polling.

-- event.bind subscriptions of OAuth applications. The id is the `event_handler_id` sent with each event.
CREATE TABLE event_handlers (
  id serial PRIMARY KEY,
  app_id integer NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  event text NOT NULL, -- upper case
  handler text NOT NULL DEFAULT '', -- '' for offline subscriptions
  offline boolean NOT NULL DEFAULT false,
  user_id integer NOT NULL DEFAULT 0, -- auth_type: whose tokens are sent; 0 = the user who fired the event
  auth_connector text NOT NULL DEFAULT '',
  options jsonb NOT NULL DEFAULT '{}',
  notified_at timestamptz, -- ONOFFLINEEVENT: last notification (options.minTimeout)
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (app_id, event, handler, user_id, auth_connector)
);

-- The v1 handler URLs of bots (imbot.register) get their event_handler_id from the same sequence, on first use.
CREATE TABLE bot_handler_ids (
  id integer PRIMARY KEY DEFAULT nextval('event_handlers_id_seq'),
  app_key text NOT NULL,
  event text NOT NULL,
  handler text NOT NULL,
  UNIQUE (app_key, event, handler)
);

-- application_token of webhook applications (custom{CLIENT_ID}); OAuth applications keep theirs in apps.
CREATE TABLE app_event_tokens (
  app_key text PRIMARY KEY,
  application_token text NOT NULL
);

-- One row per event and application. For one bot, ids are in commit order (emit holds a per-bot lock until
-- commit), so a reader can page a bot's events by id.
CREATE TABLE event_log (
  id bigserial PRIMARY KEY,
  event text NOT NULL,
  app_key text NOT NULL,
  bot_ids integer[] NOT NULL DEFAULT '{}',
  bot_codes text[] NOT NULL DEFAULT '{}', -- BOT_CODE of each bot when the event fired
  dialog_id text NOT NULL DEFAULT '',
  user_id integer NOT NULL DEFAULT 0, -- who fired it: data[USER] and the auth tokens
  data jsonb NOT NULL, -- bot events: data[PARAMS]; application events: data
  command jsonb, -- ONIMCOMMANDADD: the invocation (data[COMMAND])
  created_at timestamptz NOT NULL
);
CREATE INDEX event_log_bots ON event_log USING gin (bot_ids);

-- One POST to one handler URL, retried until delivered or finally failed.
CREATE TABLE event_deliveries (
  id bigserial PRIMARY KEY,
  event_id bigint NOT NULL REFERENCES event_log(id) ON DELETE CASCADE,
  url text NOT NULL,
  handler_id integer NOT NULL, -- event_handler_id
  auth_user_id integer NOT NULL DEFAULT 0, -- event.bind auth_type; 0 = the user who fired the event
  order_key text NOT NULL, -- deliveries with one key go out one at a time, in id order
  status text NOT NULL DEFAULT 'pending', -- pending | delivered | failed
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz, -- a dispatcher is sending it; another may take it over after this
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX event_deliveries_due ON event_deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX event_deliveries_order ON event_deliveries (order_key, id) WHERE status = 'pending';
CREATE INDEX event_deliveries_event ON event_deliveries (event_id);

-- The offline queue (event.bind event_type=offline; event.offline.*): one row per object and subscription.
CREATE TABLE event_offline (
  id bigserial PRIMARY KEY,
  app_id integer NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  auth_connector text NOT NULL DEFAULT '',
  event_id bigint NOT NULL REFERENCES event_log(id) ON DELETE CASCADE,
  event text NOT NULL,
  message_id text NOT NULL, -- 32 hex chars naming the changed object
  process_id text NOT NULL DEFAULT '',
  error boolean NOT NULL DEFAULT false,
  timestamp_x timestamptz NOT NULL
);
-- The queue keeps the latest state per object: a newer event for a waiting object replaces it.
CREATE UNIQUE INDEX event_offline_waiting ON event_offline (app_id, auth_connector, message_id)
  WHERE process_id = '' AND NOT error;
CREATE INDEX event_offline_app ON event_offline (app_id, auth_connector, id);
