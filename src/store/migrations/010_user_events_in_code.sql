-- im.v2 user events (ONIMV2*) are emitted by the messenger through its EventSink, beside the bot events, instead of
-- by the triggers of 009 (docs/decisions.md "Events"): one place where events are made.
DROP TRIGGER im_v2_messages ON messages;
DROP TRIGGER im_v2_members ON chat_members;
DROP FUNCTION im_v2_on_message();
DROP FUNCTION im_v2_on_join();
DROP FUNCTION im_v2_message_snapshot(messages);
DROP FUNCTION im_v2_record(integer, bigint, text, jsonb, timestamptz);
