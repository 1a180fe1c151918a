-- im.message.add looks a message up by its author and TEMPLATE_ID (a resent message is answered, not stored twice).
CREATE INDEX messages_author_uuid ON messages (author_id, uuid) WHERE uuid IS NOT NULL;
