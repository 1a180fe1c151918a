import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { t } from '../i18n/i18n.ts';
import { matches, type Person } from './model.ts';
import { PeoplePicker, toggled } from './people-picker.tsx';
import type { MessengerStore } from './store.ts';

/**
 * "New chat": a modal dialog (the browser's own <dialog>, which keeps focus inside and closes on Esc) listing
 * people and bots. Type to filter, Enter opens the first match, arrow keys move through the list. "Group chat"
 * switches to a title and checkboxes: im.chat.add with the people and bots ticked.
 */
export function NewChat({
  store,
  open,
  close,
}: {
  store: MessengerStore;
  open: (dialogId: string) => void;
  close: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const [everyone, setEveryone] = useState<Person[] | null>(null);
  const [query, setQuery] = useState('');
  const [group, setGroup] = useState(false);
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
    store.directory().then(setEveryone, (error) => {
      store.report(error);
      setEveryone([]);
    });
  }, [store]);

  const needle = query.trim().toLowerCase();
  const shown = (everyone ?? []).filter((p) => matches(p, needle));
  const pick = (person: Person | undefined) => {
    if (!person) return;
    close();
    open(String(person.id));
  };
  const onListKey = (event: KeyboardEvent) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      buttons[Math.min(buttons.length - 1, index + 1)]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (index <= 0) search.current?.focus();
      else buttons[index - 1].focus();
    }
  };

  const create = async (event: Event) => {
    event.preventDefault();
    if (!chosen.size || creating) return;
    setCreating(true);
    const dialogId = await store.createChat(title, [...chosen]);
    setCreating(false);
    if (!dialogId) return;
    close();
    open(dialogId);
  };

  return (
    <dialog ref={dialog} class="new-chat" aria-labelledby="new-chat-title" onClose={close}>
      <header>
        <h2 id="new-chat-title">{t('messenger.newChatTitle')}</h2>
        <button type="button" class="icon" onClick={close} aria-label={t('messenger.close')}>
          ×
        </button>
      </header>
      <fieldset class="modes">
        <legend class="visually-hidden">{t('messenger.kindOfChat')}</legend>
        <button type="button" aria-pressed={!group} onClick={() => setGroup(false)}>
          {t('messenger.privateMode')}
        </button>
        <button type="button" aria-pressed={group} onClick={() => setGroup(true)}>
          {t('messenger.groupMode')}
        </button>
      </fieldset>
      {group ? (
        <form class="group-form" onSubmit={create}>
          <label for="group-title">{t('messenger.chatTitle')}</label>
          <input
            id="group-title"
            autocomplete="off"
            value={title}
            onInput={(event) => setTitle(event.currentTarget.value)}
          />
          <PeoplePicker
            id="group-people"
            people={everyone}
            chosen={chosen}
            toggle={(id) => setChosen(toggled(chosen, id))}
          />
          <button type="submit" class="primary" disabled={!chosen.size || creating}>
            {t('messenger.createChat')}
          </button>
        </form>
      ) : (
        privatePick()
      )}
    </dialog>
  );

  /** Called, not rendered as a component: a component defined in here would be new, and remounted, every render. */
  function privatePick() {
    return (
      <>
        <label for="new-chat-search">{t('messenger.find')}</label>
        <input
          id="new-chat-search"
          ref={search}
          type="search"
          autocomplete="off"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              list.current?.querySelector<HTMLElement>('button')?.focus();
            } else if (event.key === 'Enter') {
              event.preventDefault();
              pick(shown[0]);
            }
          }}
        />
        {everyone === null ? (
          <p class="hint">{t('common.loading')}</p>
        ) : (
          <ul ref={list} aria-label={t('messenger.peopleAndBots')} onKeyDown={onListKey}>
            {shown.map((person) => (
              <li key={person.id}>
                <button type="button" class="candidate" data-user-id={person.id} onClick={() => pick(person)}>
                  <Avatar name={person.name} color={person.color} bot={person.bot} />
                  <span class="candidate-text">
                    <span>{person.name}</span>
                    {person.bot && person.code && <small class="candidate-code">{person.code}</small>}
                  </span>
                  {person.bot && <span class="tag">{t('messenger.bot')}</span>}
                </button>
              </li>
            ))}
            {shown.length === 0 && <li class="hint">{t('messenger.nobodyMatches', { query })}</li>}
          </ul>
        )}
      </>
    );
  }
}
