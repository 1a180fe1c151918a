import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { t } from '../i18n/i18n.ts';
import type { Person } from './model.ts';
import type { MessengerStore } from './store.ts';

/** The `@name` being typed just before the caret. */
const MENTION = /(^|\s)@([^\s@[\]]{0,40})$/;
const MAX_SUGGESTIONS = 8;

/**
 * The message field: Enter sends, Shift+Enter breaks the line, Esc clears the draft (or, when empty, goes back
 * to the list). Typing tells the server through im.dialog.writing, throttled by the store. `@` offers the dialog's
 * members (a list the field controls: arrows choose, Enter or Tab inserts `[USER=id]Name[/USER]`, which is how a bot in a group
 * chat is addressed, Esc closes the list).
 */
export function Composer({ store, dialogId, back }: { store: MessengerStore; dialogId: string; back: () => void }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const draft = store.drafts.get(dialogId) ?? '';
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    field.current?.focus();
  }, [dialogId, store.draftPutAt]);

  const needle = mention?.query.toLowerCase() ?? '';
  const suggestions: Person[] = mention
    ? store
        .mentionable(dialogId)
        .filter((p) => p.name.toLowerCase().includes(needle))
        .slice(0, MAX_SUGGESTIONS)
    : [];
  const listOpen = suggestions.length > 0;

  const follow = (el: HTMLTextAreaElement) => {
    const match = MENTION.exec(el.value.slice(0, el.selectionStart));
    setMention(match ? { start: el.selectionStart - match[2].length - 1, query: match[2] } : null);
    setActive(0);
  };

  const insert = (person: Person) => {
    const el = field.current;
    if (!el || !mention) return;
    const tag = `[USER=${person.id}]${person.name}[/USER] `;
    const text = draft.slice(0, mention.start) + tag + draft.slice(el.selectionStart);
    const caret = mention.start + tag.length;
    store.setDraft(dialogId, text);
    setMention(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(caret, caret);
    });
  };

  const submit = () => {
    if (!draft.trim()) return;
    if (store.send(dialogId, draft)) store.setDraft(dialogId, '');
    setMention(null);
    field.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {listOpen && (
        <div class="mentions" id="mention-list" role="listbox" aria-label={t('messenger.mentionSomeone')}>
          {suggestions.map((person, i) => (
            <div
              key={person.id}
              id={`mention-${person.id}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              class={i === active ? 'active' : undefined}
              data-user-id={person.id}
              // mousedown, not click: the field keeps its focus and caret.
              onMouseDown={(event) => {
                event.preventDefault();
                insert(person);
              }}
            >
              <Avatar name={person.name} color={person.color} bot={person.bot} />
              <span>{person.name}</span>
              {person.bot && <span class="tag">bot</span>}
            </div>
          ))}
        </div>
      )}
      <label for="composer-input" class="visually-hidden">
        {t('messenger.message')}
      </label>
      <textarea
        id="composer-input"
        ref={field}
        rows={1}
        placeholder={t('messenger.writeMessage')}
        value={draft}
        aria-autocomplete="list"
        aria-controls={listOpen ? 'mention-list' : undefined}
        aria-activedescendant={listOpen ? `mention-${suggestions[active]?.id}` : undefined}
        onInput={(event) => {
          store.setDraft(dialogId, event.currentTarget.value);
          follow(event.currentTarget);
          if (event.currentTarget.value.trim()) store.writing(dialogId);
        }}
        onClick={(event) => follow(event.currentTarget)}
        onKeyDown={(event) => {
          if (listOpen && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            setActive((active + step + suggestions.length) % suggestions.length);
          } else if (listOpen && (event.key === 'Enter' || event.key === 'Tab') && !event.isComposing) {
            event.preventDefault();
            insert(suggestions[active]);
          } else if (listOpen && event.key === 'Escape') {
            event.preventDefault();
            setMention(null);
          } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            if (draft) store.setDraft(dialogId, '');
            else back();
          }
        }}
      />
      <button type="submit" class="primary send" disabled={!draft.trim()}>
        {t('messenger.send')}
      </button>
    </form>
  );
}
