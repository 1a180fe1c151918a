-- Avatars of chats and bots (imbot.chat.updateAvatar, AVATAR of imbot.chat.add, PERSONAL_PHOTO of imbot.register
-- and imbot.update). Content-addressed: chats.avatar and users.personal_photo hold the path `/upload/avatar/{key}`.
CREATE TABLE avatars (
  key text PRIMARY KEY, -- sha256 of the content (hex, 32 chars) + '.' + extension
  mime text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
