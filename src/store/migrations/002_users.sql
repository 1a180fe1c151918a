-- user.add / user.update fields without a column of their own (b24restdocs api-reference/user/user-add.md):
-- TITLE, PERSONAL_PHONE, WORK_COMPANY, UF_SKYPE, … keyed by their Bitrix24 names.
ALTER TABLE users ADD COLUMN profile_fields jsonb NOT NULL DEFAULT '{}';
CREATE INDEX users_email_lower ON users (lower(email)) WHERE email <> '';
