import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { t } from '../i18n/i18n.ts';
import { Composer } from './composer.tsx';
import { dayLabel } from './dates.ts';
import { Members } from './members.tsx';
import { type ItemActions, MessageItem, PendingItem } from './message-item.tsx';
import type { Message } from './model.ts';
import type { MessengerStore } from './store.ts';

/** Pixels from the bottom within which the log follows new messages. */
const FOLLOW_PX = 80;
/** Pixels from the top within which a person's own scrolling loads the previous page. */
const LOAD_PX = 40;

/**
 * One dialog: header, the message log (a polite live region, so new messages are read out), the typing line
 * (its own live region) and the composer. Scrolling to the top loads the previous page of history.
 */
export function ChatView(props: { store: MessengerStore; dialogId: string; actions: ItemActions; back: () => void }) {
  const { store, dialogId, actions } = props;
  const dialog = store.dialogs.get(dialogId);
  const log = store.logs.get(dialogId);
  const typers = store.typing.list(dialogId);
  const pending = store.pending(dialogId);
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ height: number; top: number; follow: boolean }>({ height: 0, top: 0, follow: true });
  /** Set by the person's own wheel, touch or keys; programmatic scrolls (ours, focus, a click's scrollIntoView) leave it. */
  const scrolledByPerson = useRef(false);
  const [showMembers, setShowMembers] = useState(false);

  // Keep the view where the reader is: at the bottom when they were there, still when older pages load above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const before = anchor.current;
    if (before.follow) el.scrollTop = el.scrollHeight;
    else if (el.scrollHeight !== before.height) el.scrollTop = before.top + (el.scrollHeight - before.height);
    anchor.current = { height: el.scrollHeight, top: el.scrollTop, follow: before.follow };
  });

  // Only a person's scrolling loads history: a scroll event from bringing the "earlier messages" button into view
  // (a click or focus does that) must not change the button under the pointer.
  const onScroll = () => {
    const el = scroller.current!;
    anchor.current = {
      height: el.scrollHeight,
      top: el.scrollTop,
      follow: el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_PX,
    };
    if (scrolledByPerson.current && el.scrollTop < LOAD_PX) store.loadOlder(dialogId);
  };
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const personScrolls = () => {
      scrolledByPerson.current = true;
    };
    const events = ['wheel', 'touchmove', 'keydown'] as const;
    for (const name of events) el.addEventListener(name, personScrolls, { passive: true });
    return () => {
      for (const name of events) el.removeEventListener(name, personScrolls);
    };
  }, []);

  const items = log?.items ?? [];
  const title = dialog?.title ?? dialogId;
  const members = store.members.get(dialogId);
  const rows: ComponentChildren[] = [];
  let day = '';
  items.forEach((message, i) => {
    const label = dayLabel(message.date);
    if (label !== day) {
      day = label;
      rows.push(<DaySeparator key={`day-${message.id}`} label={label} />);
    }
    rows.push(
      <MessageItem
        key={message.id}
        message={message}
        store={store}
        dialogId={dialogId}
        first={startsRun(items, i)}
        actions={actions}
      />,
    );
  });
  if (pending.length && dayLabel(pending[0].date) !== day) {
    rows.push(<DaySeparator key="day-pending" label={dayLabel(pending[0].date)} />);
  }
  for (const item of pending) rows.push(<PendingItem key={item.uuid} pending={item} store={store} />);

  return (
    <section class="chat-view" aria-labelledby="chat-title">
      <header class="chat-header">
        <button type="button" class="back" onClick={props.back} aria-label={t('messenger.back')}>
          ←
        </button>
        <Avatar name={title} color={dialog?.color} bot={dialog?.isBot} />
        <div class="chat-heading">
          <h2 id="chat-title" title={title}>
            {title}
          </h2>
          <span class="chat-sub">
            {dialog?.isChat
              ? members
                ? t('messenger.groupChatMembers', { count: members.length })
                : t('messenger.groupChat')
              : dialog?.isBot
                ? t('messenger.chatBot')
                : t('messenger.privateDialog')}
          </span>
        </div>
        {dialog?.isChat && (
          <button
            type="button"
            class="members-button"
            aria-haspopup="dialog"
            onClick={() => setShowMembers(true)}
            disabled={!members}
          >
            {t('messenger.members')}
          </button>
        )}
      </header>
      <div class="log" ref={scroller} onScroll={onScroll}>
        {log?.hasOlder && (
          <button
            type="button"
            class="older"
            aria-busy={log.loading}
            aria-disabled={log.loading}
            onClick={() => store.loadOlder(dialogId)}
          >
            {log.loading ? t('common.loading') : t('messenger.loadEarlier')}
          </button>
        )}
        <div role="log" aria-live="polite" aria-label={t('messenger.messagesWith', { title })}>
          <ol class="messages">{rows}</ol>
        </div>
        {log && !log.loading && items.length === 0 && !pending.length && (
          <p class="empty-log">{t('messenger.empty')}</p>
        )}
      </div>
      <div class="typing" role="status" aria-live="polite" aria-label={t('messenger.whoIsTyping')}>
        {typers.map((typer) => (
          <p class="typer" key={typer.userId} data-user-id={typer.userId}>
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            <span>
              <strong>{typer.userName}</strong>
              {typer.status ? (
                <>
                  : <span class="status">{typer.status}</span>
                </>
              ) : (
                t('messenger.isTyping')
              )}
            </span>
          </p>
        ))}
      </div>
      <Composer store={store} dialogId={dialogId} back={props.back} />
      {showMembers && members && (
        <Members store={store} dialogId={dialogId} close={() => setShowMembers(false)} left={props.back} />
      )}
    </section>
  );
}

function DaySeparator({ label }: { label: string }) {
  return (
    <li class="day-separator">
      <span>{label}</span>
    </li>
  );
}

/** A message opens a run (author name and avatar shown) unless the one before is by the same author, same day. */
function startsRun(items: Message[], i: number): boolean {
  if (i === 0) return true;
  const before = items[i - 1];
  return before.system || before.authorId !== items[i].authorId || dayLabel(before.date) !== dayLabel(items[i].date);
}
