import { t } from '../i18n/i18n.ts';

// The messenger's system notices in the reader's language. The server words them once, in English, as a portal
// words them in its own language (CIMChat::AddSystemMessage, src/domain/group-chats.ts); their parts — who, whom,
// the new title or colour — are [USER=id] mentions and a quoted value, read back here and put into the catalog's
// sentence. A system message that is none of these (a bot's SYSTEM=Y text) is shown as it was written.

const MENTION = String.raw`\[USER=\d+(?: REPLACE)?\][^[]*\[/USER\]`;
const NOTICES: { key: 'invited' | 'left' | 'removed' | 'renamed' | 'recolored'; pattern: RegExp }[] = [
  { key: 'invited', pattern: new RegExp(`^(${MENTION}) invited (.+) to the chat$`, 's') },
  { key: 'left', pattern: new RegExp(`^(${MENTION}) left the chat$`) },
  { key: 'removed', pattern: new RegExp(`^(${MENTION}) removed (${MENTION}) from the chat$`) },
  { key: 'renamed', pattern: new RegExp(`^(${MENTION}) changed the chat name to "(.*)"$`, 's') },
  { key: 'recolored', pattern: new RegExp(`^(${MENTION}) changed the chat color to "([A-Za-z ]+)"$`) },
];

/** The notice `text` as BB-code in the UI's language, or null when it is no notice of the messenger. */
export function noticeText(text: string, female: (userId: number) => boolean): string | null {
  for (const { key, pattern } of NOTICES) {
    const match = pattern.exec(text);
    if (!match) continue;
    const [, actor, other] = match;
    const context = female(Number(/\d+/.exec(actor)![0])) ? 'female' : undefined;
    const value =
      key === 'recolored'
        ? t(`messenger.colors.${other.toUpperCase().replaceAll(' ', '_')}`, { defaultValue: other })
        : other;
    return t(`messenger.notices.${key}`, { actor, other: value, context });
  }
  return null;
}
