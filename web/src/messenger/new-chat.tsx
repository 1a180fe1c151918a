import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import type { Person } from './model.ts';
import type { MessengerStore } from './store.ts';

/**
 * "New chat": a modal dialog (the browser's own <dialog>, which keeps focus inside and closes on Esc) listing
 * people and bots. Type to filter, Enter opens the first match, arrow keys move through the list.
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

  useEffect(() => {
    dialog.current?.showModal();
    store.directory().then(setEveryone, (error) => {
      store.report(error);
      setEveryone([]);
    });
  }, [store]);

  const needle = query.trim().toLowerCase();
  const shown = (everyone ?? []).filter((p) => !needle || p.name.toLowerCase().includes(needle));
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

  return (
    <dialog ref={dialog} class="new-chat" aria-labelledby="new-chat-title" onClose={close}>
      <header>
        <h2 id="new-chat-title">New chat</h2>
        <button type="button" class="icon" onClick={close} aria-label="Close">
          ×
        </button>
      </header>
      <label for="new-chat-search">Find a person or bot</label>
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
        <p class="hint">Loading…</p>
      ) : (
        <ul ref={list} aria-label="People and bots" onKeyDown={onListKey}>
          {shown.map((person) => (
            <li key={person.id}>
              <button type="button" class="candidate" data-user-id={person.id} onClick={() => pick(person)}>
                <Avatar name={person.name} color={person.color} bot={person.bot} />
                <span>{person.name}</span>
                {person.bot && <span class="tag">bot</span>}
              </button>
            </li>
          ))}
          {shown.length === 0 && <li class="hint">Nobody matches “{query}”.</li>}
        </ul>
      )}
    </dialog>
  );
}
