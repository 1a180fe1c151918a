import { useEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { t } from '../i18n/i18n.ts';
import { mayRemove, type Person } from './model.ts';
import { PeoplePicker, toggled } from './people-picker.tsx';
import type { MessengerStore } from './store.ts';

/**
 * A group chat's members (im.chat.user.list, kept current by chatUserAdd / chatUserLeave): the owner removes
 * members (im.chat.user.delete), everyone adds people and bots (im.chat.user.add) and may leave (im.chat.leave),
 * except the owner, who cannot leave (LEAVE_OWNER_FORBIDDEN).
 */
export function Members(props: { store: MessengerStore; dialogId: string; close: () => void; left: () => void }) {
  const { store, dialogId, close } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [adding, setAdding] = useState(false);
  const [everyone, setEveryone] = useState<Person[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const ids = store.members.get(dialogId) ?? [];
  const chat = store.dialogs.get(dialogId);
  const ownerId = chat?.ownerId ?? 0;
  const iOwn = ownerId === store.me.id;

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    if (!adding || everyone) return;
    store.directory().then(setEveryone, (error) => {
      store.report(error);
      setEveryone([]);
    });
  }, [adding, everyone, store]);

  const add = async (event: Event) => {
    event.preventDefault();
    if (!chosen.size) return;
    if (await store.addMembers(dialogId, [...chosen])) {
      setChosen(new Set());
      setAdding(false);
    }
  };
  const leave = async () => {
    if (!(await store.leave(dialogId))) return;
    close();
    props.left();
  };

  return (
    <dialog ref={dialog} class="members" aria-labelledby="members-title" onClose={close}>
      <header>
        <h2 id="members-title">{t('messenger.membersTitle', { count: ids.length })}</h2>
        <button type="button" class="icon" onClick={close} aria-label={t('messenger.close')}>
          ×
        </button>
      </header>
      {adding ? (
        <form class="group-form" onSubmit={add}>
          <PeoplePicker
            id="add-people"
            people={everyone ? everyone.filter((p) => !ids.includes(p.id)) : null}
            chosen={chosen}
            toggle={(id) => setChosen(toggled(chosen, id))}
          />
          <div class="form-actions">
            <button type="button" onClick={() => setAdding(false)}>
              {t('messenger.cancel')}
            </button>
            <button type="submit" class="primary" disabled={!chosen.size}>
              {t('messenger.addToChat')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <ul class="member-list" aria-label={t('messenger.members')}>
            {ids.map((id) => {
              const person = store.people.get(id);
              const name = person?.name ?? store.personName(id);
              return (
                <li key={id} class="member" data-user-id={id}>
                  <Avatar name={name} color={person?.color} bot={person?.bot} />
                  <span class="member-name">
                    {name}
                    {id === store.me.id && <span class="tag">{t('messenger.youTag')}</span>}
                    {person?.bot && <span class="tag">{t('messenger.bot')}</span>}
                    {id === ownerId ? (
                      <span class="tag">{t('messenger.ownerTag')}</span>
                    ) : (
                      chat?.managers.includes(id) && <span class="tag">{t('messenger.managerTag')}</span>
                    )}
                  </span>
                  {chat && mayRemove(chat, store.me.id, id) && (
                    <button
                      type="button"
                      class="link danger"
                      aria-label={t('messenger.removeLabel', { name })}
                      onClick={() => store.removeMember(dialogId, id)}
                    >
                      {t('messenger.remove')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          <div class="form-actions">
            <button type="button" class="primary" onClick={() => setAdding(true)}>
              {t('messenger.addMembers')}
            </button>
            {iOwn ? (
              <p class="hint">{t('messenger.ownerCannotLeave')}</p>
            ) : (
              <button type="button" class="danger" onClick={leave}>
                {t('messenger.leave')}
              </button>
            )}
          </div>
        </>
      )}
    </dialog>
  );
}
