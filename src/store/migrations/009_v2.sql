-- Chatbots 2.0 (b24restdocs api-reference/chat-bots/chat-bots-v2/).

-- imbot.v2.Event.get: per bot, the first event id not yet acknowledged ("confirms all events with IDs less than
-- the specified offset"). No row = nothing acknowledged yet.
CREATE TABLE v2_event_cursors (
  bot_id integer PRIMARY KEY REFERENCES bots(id) ON DELETE CASCADE,
  acked bigint NOT NULL
);

-- The owner-only counter countMessage of the Bot object (messages the bot sent).
CREATE INDEX messages_author ON messages (author_id);
