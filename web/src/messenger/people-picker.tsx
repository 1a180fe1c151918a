import { useState } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { t } from '../i18n/i18n.ts';
import { matches, type Person } from './model.ts';

/**
 * People and bots to tick, with a filter: a group chat's members when it is created, or those to add to one.
 * Plain checkboxes, so Tab and Space work as everywhere.
 */
export function PeoplePicker(props: {
  id: string;
  people: Person[] | null;
  chosen: Set<number>;
  toggle: (id: number) => void;
}) {
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const shown = (props.people ?? []).filter((p) => matches(p, needle));
  return (
    <div class="people-picker">
      <label for={`${props.id}-search`}>{t('messenger.find')}</label>
      <input
        id={`${props.id}-search`}
        type="search"
        autocomplete="off"
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
      />
      {props.people === null ? (
        <p class="hint">{t('common.loading')}</p>
      ) : (
        <ul aria-label={t('messenger.peopleAndBots')}>
          {shown.map((person) => (
            <li key={person.id}>
              <label class="candidate" data-user-id={person.id}>
                <input type="checkbox" checked={props.chosen.has(person.id)} onChange={() => props.toggle(person.id)} />
                <Avatar name={person.name} color={person.color} bot={person.bot} />
                <span class="candidate-text">
                  <span>{person.name}</span>
                  {person.bot && person.code && <small class="candidate-code">{person.code}</small>}
                </span>
                {person.bot && <span class="tag">{t('messenger.bot')}</span>}
              </label>
            </li>
          ))}
          {shown.length === 0 && <li class="hint">{t('messenger.nobodyMatches', { query })}</li>}
        </ul>
      )}
    </div>
  );
}

/** A set with one id added or taken away (state updates need a new object). */
export function toggled(set: Set<number>, id: number): Set<number> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
