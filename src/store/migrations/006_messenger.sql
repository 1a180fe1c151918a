-- Messenger: message uuids, read dates, bot commands.

-- TEMPLATE_ID of im.message.add, answered as `uuid` by im.dialog.messages.get.
ALTER TABLE messages ADD COLUMN uuid text;

-- When the member last moved its read mark (im.dialog.get readed_list[].date).
ALTER TABLE chat_members ADD COLUMN last_read_at timestamptz;

-- Bot commands (imbot.command.register); COMMAND is the text after `/`, matched case-sensitively like Bitrix24.
CREATE TABLE commands (
  id serial PRIMARY KEY,
  bot_id integer NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
  app_key text NOT NULL,
  command text NOT NULL,
  common boolean NOT NULL DEFAULT false,
  hidden boolean NOT NULL DEFAULT false,
  extranet_support boolean NOT NULL DEFAULT false,
  handler text NOT NULL,
  lang jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (bot_id, command)
);
CREATE INDEX commands_command ON commands (command);
CREATE INDEX commands_app ON commands (app_key, id);
