-- Chatbots 2.0 (b24restdocs api-reference/chat-bots/chat-bots-v2/).

-- imbot.v2.Event.get: per bot, the first event id not yet acknowledged ("confirms all events with IDs less than
-- the specified offset"). No row = nothing acknowledged yet.
CREATE TABLE v2_event_cursors (
  bot_id integer PRIMARY KEY REFERENCES bots(id) ON DELETE CASCADE,
  acked bigint NOT NULL
);

-- The owner-only counter countMessage of the Bot object (messages the bot sent).
CREATE INDEX messages_author ON messages (author_id);

-- Files sent into chats (imbot.v2.File.upload, im.v2.File.upload): the content itself, at most B24_FILE_LIMIT bytes.
CREATE TABLE files (
  id serial PRIMARY KEY,
  chat_id integer NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  author_id integer NOT NULL,
  message_id bigint,
  name text NOT NULL,
  mime text NOT NULL,
  size integer NOT NULL,
  width integer,
  height integer,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX files_chat ON files (chat_id, id);

-- One-time download links (File.download `downloadUrl`): used once, or expired.
CREATE TABLE file_download_tokens (
  token text PRIMARY KEY,
  file_id integer NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
