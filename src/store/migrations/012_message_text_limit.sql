-- Message texts are at most 20,000 characters, longer ones cut with " (...)" (src/domain/bb-code.ts, MAX_TEXT).
-- Texts stored before the limit are cut the same way, so no page of history holds megabytes per message.
UPDATE messages SET text = left(text, 20000) || ' (...)' WHERE length(text) > 20006;
