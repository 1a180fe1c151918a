import { useLayoutEffect, useRef } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { Composer } from './composer.tsx';
import { type ItemActions, MessageItem } from './message-item.tsx';
import type { MessengerStore } from './store.ts';

/** Pixels from the bottom within which the log follows new messages. */
const FOLLOW_PX = 80;

/**
 * One dialog: header, the message log (a polite live region, so new messages are read out), the typing line
 * (its own live region) and the composer. Scrolling to the top loads the previous page of history.
 */
export function ChatView(props: { store: MessengerStore; dialogId: string; actions: ItemActions; back: () => void }) {
  const { store, dialogId, actions } = props;
  const dialog = store.dialogs.get(dialogId);
  const log = store.logs.get(dialogId);
  const typers = store.typing.list(dialogId);
  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ height: number; top: number; follow: boolean }>({ height: 0, top: 0, follow: true });

  // Keep the view where the reader is: at the bottom when they were there, still when older pages load above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const before = anchor.current;
    if (before.follow) el.scrollTop = el.scrollHeight;
    else if (el.scrollHeight !== before.height) el.scrollTop = before.top + (el.scrollHeight - before.height);
    anchor.current = { height: el.scrollHeight, top: el.scrollTop, follow: before.follow };
  });

  const onScroll = () => {
    const el = scroller.current!;
    anchor.current = {
      height: el.scrollHeight,
      top: el.scrollTop,
      follow: el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_PX,
    };
    if (el.scrollTop < 40 && log?.hasOlder && !log.loading) store.loadOlder(dialogId);
  };

  const items = log?.items ?? [];
  const title = dialog?.title ?? dialogId;
  return (
    <section class="chat-view" aria-labelledby="chat-title">
      <header class="chat-header">
        <button type="button" class="back" onClick={props.back} aria-label="Back to dialogs">
          ←
        </button>
        <Avatar name={title} color={dialog?.color} bot={dialog?.isBot} />
        <div class="chat-heading">
          <h2 id="chat-title">{title}</h2>
          <span class="chat-sub">{dialog?.isChat ? 'group chat' : dialog?.isBot ? 'chat bot' : 'private dialog'}</span>
        </div>
      </header>
      <div class="log" ref={scroller} onScroll={onScroll}>
        {log?.hasOlder && (
          <button type="button" class="older" disabled={log.loading} onClick={() => store.loadOlder(dialogId)}>
            {log.loading ? 'Loading…' : 'Load earlier messages'}
          </button>
        )}
        <div role="log" aria-live="polite" aria-label={`Messages with ${title}`}>
          <ol class="messages">
            {items.map((message, i) => {
              const author = store.people.get(message.authorId);
              return (
                <MessageItem
                  key={message.id}
                  message={message}
                  author={author?.name ?? `User ${message.authorId}`}
                  authorIsBot={author?.bot ?? false}
                  mine={message.authorId === store.me.id}
                  showAuthor={
                    message.authorId !== store.me.id && (i === 0 || items[i - 1].authorId !== message.authorId)
                  }
                  actions={actions}
                />
              );
            })}
          </ol>
        </div>
        {log && !log.loading && items.length === 0 && <p class="empty-log">No messages yet. Say hello!</p>}
      </div>
      <div class="typing" role="status" aria-live="polite" aria-label="Who is typing">
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
                ' is typing…'
              )}
            </span>
          </p>
        ))}
      </div>
      <Composer store={store} dialogId={dialogId} back={props.back} />
    </section>
  );
}
