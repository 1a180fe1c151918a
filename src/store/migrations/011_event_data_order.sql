-- A bot event's data[PARAMS] goes out in the order the event pages list its keys (and the platform builds them);
-- jsonb sorts object keys, json keeps the text as written. No query reads inside event_log.data.
ALTER TABLE event_log ALTER COLUMN data TYPE json USING data::json;
