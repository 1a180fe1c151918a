import { useRef } from 'preact/hooks';
import { Avatar } from '../avatar.tsx';
import { plainText } from '../bbcode.tsx';
import { t } from '../i18n/i18n.ts';
import { shortTime } from './dates.ts';
import type { Dialog } from './model.ts';
import type { MessengerStore } from './store.ts';

/**
 * The dialog list: links to `#dialogId`, one Tab stop (the open or first dialog); arrow keys, Home and End move
 * between dialogs and Enter opens one. Each row shows who is typing in place of the last message.
 */
export function DialogList({ store }: { store: MessengerStore }) {
  const list = store.list();
  const ref = useRef<HTMLUListElement>(null);
  const current = Math.max(
    0,
    list.findIndex((d) => d.dialogId === store.openId),
  );

  const onKeyDown = (event: KeyboardEvent) => {
    const links = [...(ref.current?.querySelectorAll<HTMLElement>('a.dialog') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      links[Math.max(0, Math.min(links.length - 1, to))]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(links.length - 1);
  };

  if (list.length === 0 && !store.recentLoaded) return <p class="empty-list">{t('common.loading')}</p>;
  if (list.length === 0) {
    return <p class="empty-list">{t('messenger.noDialogs')}</p>;
  }
  return (
    <nav class="dialogs" aria-label={t('messenger.dialogs')}>
      <ul class="dialog-list" ref={ref} onKeyDown={onKeyDown}>
        {list.map((dialog, i) => (
          <li key={dialog.dialogId}>
            <DialogRow
              dialog={dialog}
              store={store}
              selected={dialog.dialogId === store.openId}
              tabbable={i === current}
            />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function DialogRow(props: { dialog: Dialog; store: MessengerStore; selected: boolean; tabbable: boolean }) {
  const { dialog, store } = props;
  const typers = store.typing.list(dialog.dialogId);
  const last = dialog.last;
  let snippet = '';
  if (typers.length) snippet = t('messenger.typingList', { names: typers.map((typer) => typer.userName).join(', ') });
  else if (last) {
    const notice = store.noticeText(last.text);
    snippet = notice
      ? plainText(notice)
      : (last.authorId === store.me.id ? t('messenger.you') : '') + plainText(last.text);
  }
  return (
    <a
      href={`#${encodeURIComponent(dialog.dialogId)}`}
      id={`dialog-${dialog.dialogId}`}
      data-dialog-id={dialog.dialogId}
      aria-current={props.selected ? 'page' : undefined}
      tabIndex={props.tabbable ? 0 : -1}
      class={props.selected ? 'dialog selected' : 'dialog'}
    >
      <Avatar name={dialog.title} color={dialog.color} bot={dialog.isBot} />
      <span class="dialog-text">
        <span class="dialog-title">
          {dialog.title}
          {dialog.isBot && <span class="tag">{t('messenger.bot')}</span>}
        </span>
        <span class={typers.length ? 'dialog-last typing-now' : 'dialog-last'}>{snippet}</span>
      </span>
      {last && <time class="dialog-time">{shortTime(last.date)}</time>}
      {dialog.counter > 0 && (
        <span class="counter">
          {dialog.counter > 99 ? '99+' : dialog.counter}
          <span class="visually-hidden">{t('messenger.unread')}</span>
        </span>
      )}
    </a>
  );
}
