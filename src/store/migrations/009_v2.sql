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

-- im.v2 user events (b24restdocs chat-bots-v2/im.v2/events/): recorded only for users who subscribed, into the one
-- event log, so that imbot.v2.Event.get `withUserEvents` reads both streams with one offset. The messenger writes
-- messages and memberships on many paths (REST, web UI, bots); these triggers record what every path does, with a
-- snapshot of the message. Per subscriber, ids are in commit order (the advisory lock is held until commit).
CREATE TABLE im_v2_subscriptions (
  user_id integer PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL
);

-- The first event id not yet acknowledged by the user (im.v2.Event.get `offset`).
CREATE TABLE im_v2_cursors (
  user_id integer PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  acked bigint NOT NULL
);

ALTER TABLE event_log ADD COLUMN subscriber_id integer; -- im.v2 user events: whose stream the row is in
CREATE INDEX event_log_subscriber ON event_log (subscriber_id, id) WHERE subscriber_id IS NOT NULL;

-- One row per subscribed member of the chat who sees the message (`first_visible` NULL: every member).
CREATE FUNCTION im_v2_record(chat integer, first_visible bigint, name text, data jsonb, stamp timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE subscriber integer;
BEGIN
  FOR subscriber IN
    SELECT m.user_id FROM chat_members m JOIN im_v2_subscriptions s ON s.user_id = m.user_id
    WHERE m.chat_id = chat AND (first_visible IS NULL OR m.start_id <= first_visible) ORDER BY m.user_id
  LOOP
    PERFORM pg_advisory_xact_lock(26989, subscriber); -- 0x696d 'im'
    INSERT INTO event_log (event, app_key, subscriber_id, user_id, data, created_at)
    VALUES (name, '', subscriber, COALESCE((data->>'userId')::int, 0), data, stamp);
  END LOOP;
END $$;

CREATE FUNCTION im_v2_message_snapshot(m messages) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('messageId', m.id, 'chatId', m.chat_id, 'authorId', m.author_id, 'text', m.text,
    'params', m.params, 'system', m.system, 'uuid', m.uuid, 'date', m.created_at)
$$;

CREATE FUNCTION im_v2_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stamp timestamptz;
  code text;
  had jsonb;
  has jsonb;
  who jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM im_v2_record(NEW.chat_id, NEW.id, 'ONIMV2MESSAGEADD',
      im_v2_message_snapshot(NEW) || jsonb_build_object('userId', NEW.author_id), NEW.created_at);
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM im_v2_record(OLD.chat_id, OLD.id, 'ONIMV2MESSAGEDELETE',
      jsonb_build_object('messageId', OLD.id, 'chatId', OLD.chat_id, 'userId', OLD.author_id), now());
    RETURN NULL;
  END IF;
  stamp := COALESCE(NEW.updated_at, now());
  IF NEW.deleted AND NOT OLD.deleted THEN
    PERFORM im_v2_record(NEW.chat_id, NEW.id, 'ONIMV2MESSAGEDELETE',
      jsonb_build_object('messageId', NEW.id, 'chatId', NEW.chat_id, 'userId', NEW.author_id), stamp);
  ELSIF NEW.text IS DISTINCT FROM OLD.text OR NEW.params - 'LIKE' - 'REACTIONS' IS DISTINCT FROM OLD.params - 'LIKE' - 'REACTIONS' THEN
    PERFORM im_v2_record(NEW.chat_id, NEW.id, 'ONIMV2MESSAGEUPDATE',
      im_v2_message_snapshot(NEW) || jsonb_build_object('userId', NEW.author_id), stamp);
  ELSE
    -- Reactions: `like` is params.LIKE (user ids), the others params.REACTIONS {code: [user ids]}.
    FOR code, had, has IN
      SELECT k, COALESCE(o, '[]'), COALESCE(n, '[]') FROM (
        SELECT 'like' AS k, OLD.params->'LIKE' AS o, NEW.params->'LIKE' AS n
        UNION ALL
        SELECT k, OLD.params->'REACTIONS'->k, NEW.params->'REACTIONS'->k
        FROM (SELECT jsonb_object_keys(COALESCE(OLD.params->'REACTIONS', '{}') || COALESCE(NEW.params->'REACTIONS', '{}')) AS k) keys
      ) r
    LOOP
      FOR who IN SELECT value FROM jsonb_array_elements(has) WHERE NOT had @> jsonb_build_array(value) LOOP
        PERFORM im_v2_record(NEW.chat_id, NEW.id, 'ONIMV2REACTIONCHANGE', im_v2_message_snapshot(NEW)
          || jsonb_build_object('userId', who, 'reaction', code, 'action', 'add'), stamp);
      END LOOP;
      FOR who IN SELECT value FROM jsonb_array_elements(had) WHERE NOT has @> jsonb_build_array(value) LOOP
        PERFORM im_v2_record(NEW.chat_id, NEW.id, 'ONIMV2REACTIONCHANGE', im_v2_message_snapshot(NEW)
          || jsonb_build_object('userId', who, 'reaction', code, 'action', 'delete'), stamp);
      END LOOP;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER im_v2_messages AFTER INSERT OR UPDATE OR DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION im_v2_on_message();

-- A participant added to a group chat; opening a private dialog is no joining.
CREATE FUNCTION im_v2_on_join() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT type FROM chats WHERE id = NEW.chat_id) = 'P' THEN RETURN NULL; END IF;
  PERFORM im_v2_record(NEW.chat_id, NULL, 'ONIMV2JOINCHAT',
    jsonb_build_object('chatId', NEW.chat_id, 'userId', NEW.user_id), NEW.joined_at);
  RETURN NULL;
END $$;

CREATE TRIGGER im_v2_members AFTER INSERT ON chat_members FOR EACH ROW EXECUTE FUNCTION im_v2_on_join();
