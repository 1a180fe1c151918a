-- Identities, bots, chats and messages. One schema for the embedded and the external PostgreSQL.

CREATE TABLE users (
  id serial PRIMARY KEY,
  active boolean NOT NULL DEFAULT true,
  name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  second_name text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  login text UNIQUE,
  password_hash text,
  is_admin boolean NOT NULL DEFAULT false,
  is_bot boolean NOT NULL DEFAULT false,
  user_type text NOT NULL DEFAULT 'employee',
  work_position text NOT NULL DEFAULT '',
  personal_gender text NOT NULL DEFAULT '',
  personal_birthday text NOT NULL DEFAULT '',
  personal_www text NOT NULL DEFAULT '',
  personal_mobile text NOT NULL DEFAULT '',
  personal_city text NOT NULL DEFAULT '',
  personal_photo text NOT NULL DEFAULT '',
  work_phone text NOT NULL DEFAULT '',
  time_zone text NOT NULL DEFAULT '',
  color text NOT NULL DEFAULT '',
  departments integer[] NOT NULL DEFAULT '{1}',
  date_register timestamptz NOT NULL DEFAULT now(),
  timestamp_x timestamptz NOT NULL DEFAULT now(),
  last_login timestamptz,
  last_activity timestamptz
);

CREATE TABLE webhooks (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id),
  token text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}', -- empty = every scope
  title text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, token)
);

CREATE TABLE apps (
  id serial PRIMARY KEY,
  client_id text NOT NULL UNIQUE,
  client_secret text NOT NULL,
  scopes text[] NOT NULL DEFAULT '{}', -- empty = every scope
  title text NOT NULL DEFAULT '',
  redirect_uri text NOT NULL DEFAULT '',
  application_token text NOT NULL,
  installed boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE oauth_codes (
  code text PRIMARY KEY,
  app_id integer NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id),
  expires_at timestamptz NOT NULL,
  used boolean NOT NULL DEFAULT false
);

CREATE TABLE oauth_tokens (
  id bigserial PRIMARY KEY,
  app_id integer NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id),
  access_token text NOT NULL UNIQUE,
  refresh_token text NOT NULL UNIQUE,
  access_expires_at timestamptz NOT NULL,
  refresh_expires_at timestamptz NOT NULL,
  refreshed_at timestamptz, -- set when this refresh token was exchanged; rotation
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bots (
  id integer PRIMARY KEY REFERENCES users(id),
  code text NOT NULL UNIQUE,
  type text NOT NULL DEFAULT 'B',
  openline boolean NOT NULL DEFAULT false,
  app_key text NOT NULL, -- OAuth client_id, or custom{CLIENT_ID} for webhooks
  client_id text NOT NULL DEFAULT '',
  registered_by integer NOT NULL REFERENCES users(id),
  handlers jsonb NOT NULL DEFAULT '{}',
  bot_token text,
  event_mode text NOT NULL DEFAULT 'webhook',
  v2 boolean NOT NULL DEFAULT false,
  properties jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bots_app_key ON bots (app_key, id);

CREATE TABLE chats (
  id serial PRIMARY KEY,
  type text NOT NULL, -- P private, C closed group, O open group
  title text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  color text NOT NULL DEFAULT '',
  avatar text NOT NULL DEFAULT '',
  owner_id integer NOT NULL DEFAULT 0,
  author_id integer NOT NULL DEFAULT 0,
  entity_type text NOT NULL DEFAULT '',
  entity_id text NOT NULL DEFAULT '',
  private_key text UNIQUE, -- 'low:high' user ids of a private dialog
  text_field_enabled boolean NOT NULL DEFAULT true,
  last_message_id bigint NOT NULL DEFAULT 0,
  message_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chats_entity ON chats (entity_type, entity_id) WHERE entity_type <> '';

CREATE TABLE chat_members (
  chat_id integer NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id),
  is_manager boolean NOT NULL DEFAULT false,
  last_read_id bigint NOT NULL DEFAULT 0,
  start_id bigint NOT NULL DEFAULT 0, -- first message visible to this member (hidden history)
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chat_id, user_id)
);
CREATE INDEX chat_members_user ON chat_members (user_id, chat_id);

CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  chat_id integer NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  author_id integer NOT NULL,
  text text NOT NULL DEFAULT '',
  params jsonb NOT NULL DEFAULT '{}',
  system boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz
);
CREATE INDEX messages_chat ON messages (chat_id, id);

CREATE TABLE pull_channels (
  id text PRIMARY KEY,
  user_id integer NOT NULL, -- 0 for an application's shared channel
  app_key text NOT NULL DEFAULT '',
  type text NOT NULL, -- private | shared
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL
);
CREATE INDEX pull_channels_owner ON pull_channels (user_id, type, end_at);

CREATE TABLE admin_tokens (
  token text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
