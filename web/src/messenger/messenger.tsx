import { useEffect, useMemo, useState } from 'preact/hooks';
import type { PageConfig } from '../config.ts';
import { errorText } from '../i18n/error-text.ts';
import { t, useLanguage } from '../i18n/i18n.ts';
import { LanguageSwitch } from '../i18n/language-switch.tsx';
import { PullClient } from '../pull.ts';
import type { Rest } from '../rest.ts';
import type { Session } from '../session.ts';
import { Toast } from '../toast.tsx';
import { useStore } from '../use-store.ts';
import { ChatView } from './chat-view.tsx';
import { DialogList } from './dialog-list.tsx';
import type { ItemActions } from './message-item.tsx';
import { NewChat } from './new-chat.tsx';
import { MessengerStore } from './store.ts';

/** The open dialog lives in the address (`/#chat5`, `/#12`), so Back and reload work as people expect. */
const dialogInAddress = () => decodeURIComponent(location.hash.slice(1)) || null;

/**
 * The messenger: dialog list and chat side by side; on a narrow screen one pane at a time (the list, or the open
 * chat with a Back button).
 */
export function Messenger({ rest, session, config }: { rest: Rest; session: Session; config: PageConfig }) {
  const store = useMemo(() => new MessengerStore(rest, new PullClient(rest), config.typingTtlSec), [rest, config]);
  useStore(store);
  useLanguage();
  const [choosing, setChoosing] = useState(false);

  useEffect(() => {
    store.start().then(
      () => store.open(dialogInAddress()),
      (error) => store.report(error),
    );
    const follow = () => store.open(dialogInAddress());
    addEventListener('hashchange', follow);
    return () => {
      removeEventListener('hashchange', follow);
      store.stop();
    };
  }, [store]);

  const go = (dialogId: string) => {
    location.hash = encodeURIComponent(dialogId);
  };
  const back = () => {
    const from = store.openId;
    history.pushState(null, '', location.pathname);
    store.open(null);
    if (from) requestAnimationFrame(() => document.getElementById(`dialog-${from}`)?.focus());
  };
  const openId = store.openId;
  const actions: ItemActions = {
    send: (text) => openId && store.send(openId, text),
    put: (text) => openId && store.put(openId, text),
    openDialog: go,
    command: (message, command, params, botId) => store.command(message, command, params, botId),
    copy: (text) => navigator.clipboard?.writeText(text),
    download: (fileId) => openId && store.download(openId, fileId),
  };

  return (
    <div class={openId ? 'messenger chat-open' : 'messenger'}>
      <aside class="sidebar" aria-label={t('messenger.dialogs')}>
        <header class="topbar">
          <span class="me" title={t('messenger.signedInAs', { name: store.me.name })}>
            <span class="me-name">{store.me.name}</span>
            <span class={store.online ? 'online on' : 'online'} role="status">
              {store.online ? t('messenger.live') : t('messenger.connecting')}
            </span>
          </span>
          <nav class="topbar-actions" aria-label={t('messenger.account')}>
            <LanguageSwitch />
            {store.isAdmin && <a href="/admin">{t('messenger.admin')}</a>}
            <button type="button" class="link" onClick={() => session.signOut()}>
              {t('common.signOut')}
            </button>
          </nav>
        </header>
        <button type="button" class="primary new" onClick={() => setChoosing(true)}>
          {t('messenger.newChat')}
        </button>
        <DialogList store={store} />
      </aside>
      <main class="pane">
        {openId ? (
          <ChatView key={openId} store={store} dialogId={openId} actions={actions} back={back} />
        ) : (
          <div class="placeholder">
            <p>{t('messenger.placeholder')}</p>
          </div>
        )}
      </main>
      {store.problem != null && <Toast text={errorText(store.problem)} dismiss={() => store.dismissProblem()} />}
      {choosing && <NewChat store={store} open={go} close={() => setChoosing(false)} />}
    </div>
  );
}
