import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Avatar, safeColor } from '../avatar.tsx';
import { type MessageActions, renderBbCode } from '../bbcode.tsx';
import { t } from '../i18n/i18n.ts';
import { timeOfDay } from './dates.ts';
import type { Message } from './model.ts';
import type { Pending } from './outbox.ts';
import type { MessengerStore } from './store.ts';

export interface KeyboardButton {
  TEXT?: string;
  COMMAND?: string;
  COMMAND_PARAMS?: string;
  LINK?: string;
  ACTION?: string;
  ACTION_VALUE?: string;
  BG_COLOR?: string;
  TEXT_COLOR?: string;
  DISPLAY?: string;
  DISABLED?: string;
  TYPE?: string;
  /** The bot a COMMAND goes to (stored with the keyboard or menu; the sender's by default). */
  BOT_ID?: number | string;
}

export interface ItemActions extends MessageActions {
  /**
   * A keyboard button with COMMAND: `im.message.command` for the message's bot, as Bitrix24's own client does
   * (ONIMCOMMANDADD with COMMAND_CONTEXT KEYBOARD; nothing is posted to the chat).
   */
  command(message: Message, command: string, params: string, botId?: number): void;
  copy(text: string): void;
  /** A file of the message (params.FILE_ID): im.v2.File.download, then the one-time link. */
  download(fileId: number): void;
}

const SAFE_URL = /^(https?:|mailto:)/i;

/**
 * One message: avatar and author (first of a run), BB-code text, ATTACH blocks, files, time and, on one's own
 * messages, the read ticks; under it the bot's KEYBOARD, beside it the bot's MENU. System notices are centred.
 */
export function MessageItem(props: {
  message: Message;
  store: MessengerStore;
  dialogId: string;
  first: boolean;
  actions: ItemActions;
}) {
  const { message, store, actions } = props;
  const author = store.people.get(message.authorId);
  const authorName = author?.name ?? t('messenger.someone', { id: message.authorId });
  const isBot = author?.bot ?? false;
  const mine = message.authorId === store.me.id && !message.system;
  const attrs = { 'data-message-id': message.id, 'data-author-id': message.authorId };
  if (message.system) {
    return (
      <li class="message system" {...attrs}>
        <p class="notice">
          {renderBbCode(store.noticeText(message.text) ?? message.text, actions, { commands: false })}
        </p>
      </li>
    );
  }
  const fileIds: number[] = (Array.isArray(message.params.FILE_ID) ? message.params.FILE_ID : [])
    .map(Number)
    .filter((id: number) => id > 0);
  return (
    <li class={`message${mine ? ' mine' : ''}${isBot ? ' from-bot' : ''}${props.first ? ' first' : ''}`} {...attrs}>
      {!mine && (
        <span class="avatar-slot">{props.first && <Avatar name={authorName} color={author?.color} bot={isBot} />}</span>
      )}
      <div class="message-body">
        {props.first && !mine && <span class="author">{authorName}</span>}
        <div class="bubble">
          {message.text && <div class="text">{renderBbCode(message.text, actions, { commands: isBot })}</div>}
          <Attach attach={message.params.ATTACH} actions={actions} />
          {fileIds.length > 0 && (
            <ul class="files">
              {fileIds.map((id) => (
                <li key={id}>
                  <button type="button" class="file" onClick={() => actions.download(id)}>
                    {store.files.get(id)?.name || t('messenger.file', { id })}
                    {store.files.get(id)?.size ? (
                      <span class="size"> {fileSize(store.files.get(id)?.size)}</span>
                    ) : null}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <span class="meta">
            <time dateTime={new Date(message.date).toISOString()}>{timeOfDay(message.date)}</time>
            {mine && <Ticks readers={store.readersOf(props.dialogId, message.id)} store={store} />}
          </span>
        </div>
        <Keyboard message={message} keyboard={message.params.KEYBOARD} actions={actions} />
      </div>
      <Menu message={message} menu={message.params.MENU} actions={actions} />
    </li>
  );
}

/** ✓ stored, ✓✓ read by someone else in the dialog (im.dialog.get `readed_list`, `readMessage…Opponent`). */
function Ticks({ readers, store }: { readers: number[]; store: MessengerStore }) {
  const read = readers.length > 0;
  const names = readers.map((id) => store.personName(id)).join(', ');
  return (
    <span
      class={read ? 'ticks read' : 'ticks'}
      role="img"
      aria-label={read ? t('messenger.readBy', { names }) : t('messenger.sent')}
      title={read ? t('messenger.readBy', { names }) : t('messenger.sent')}
    >
      {read ? '✓✓' : '✓'}
    </span>
  );
}

/** A message the server has not stored yet: on its way, waiting for the connection, or refused. */
export function PendingItem({ pending, store }: { pending: Pending; store: MessengerStore }) {
  const status =
    pending.state === 'sending'
      ? t('messenger.sending')
      : pending.state === 'waiting'
        ? t('messenger.waiting')
        : t('messenger.notSent', { error: pending.error ?? '' });
  return (
    <li class={`message mine pending ${pending.state}`} data-pending-uuid={pending.uuid}>
      <div class="message-body">
        <div class="bubble">
          <div class="text">{pending.text}</div>
          <span class="meta">
            <span class="pending-status">{status}</span>
          </span>
        </div>
        {pending.state !== 'sending' && (
          <div class="pending-actions">
            <button type="button" class="link" onClick={() => store.outbox?.retry(pending.uuid)}>
              {t('common.retry')}
            </button>
            <button type="button" class="link" onClick={() => store.outbox?.discard(pending.uuid)}>
              {t('messenger.discard')}
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

/** A COMMAND, LINK or ACTION of a keyboard button or menu item: what pressing it does (undefined: nothing). */
function pressOf(message: Message, item: KeyboardButton, actions: ItemActions): (() => void) | undefined {
  const value = item.ACTION_VALUE ?? '';
  const run: Record<string, () => void> = {
    SEND: () => actions.send(value),
    PUT: () => actions.put(value),
    COPY: () => actions.copy(value),
    DIALOG: () => actions.openDialog(value),
  };
  const command = item.COMMAND;
  if (item.ACTION) return run[item.ACTION.toUpperCase()];
  if (command) return () => actions.command(message, command, item.COMMAND_PARAMS ?? '', Number(item.BOT_ID) || 0);
  return undefined;
}

/**
 * MENU: the bot's own items of the message's context menu (b24restdocs chats/messages/menu.md), behind a "⋯"
 * button. Arrow keys move between items, Esc closes and returns focus to the button.
 */
function Menu({ message, menu, actions }: { message: Message; menu: unknown; actions: ItemActions }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const items = asList(menu, 'ITEMS') as KeyboardButton[];
  if (!items.length) return null;
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const entries = [...(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = entries.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      entries[(index + step + entries.length) % entries.length]?.focus();
    }
  };
  return (
    <div class="message-menu">
      <button
        type="button"
        class="icon menu-toggle"
        ref={toggle}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('messenger.messageActions')}
        onClick={() => {
          setOpen(!open);
          requestAnimationFrame(() => list.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus());
        }}
      >
        ⋯
      </button>
      {open && (
        <div class="menu" role="menu" ref={list} onKeyDown={onKeyDown}>
          {items.map((item, i) => {
            const label = item.TEXT ?? '';
            if (item.LINK && SAFE_URL.test(item.LINK)) {
              return (
                <a key={i} role="menuitem" href={item.LINK} target="_blank" rel="noopener noreferrer" onClick={close}>
                  {label}
                </a>
              );
            }
            const press = pressOf(message, item, actions);
            return (
              <button
                key={i}
                type="button"
                role="menuitem"
                disabled={item.DISABLED === 'Y' || !press}
                onClick={() => {
                  close();
                  press?.();
                }}
              >
                {label}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

function asList(value: unknown, key: string): any[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object' && Array.isArray((value as any)[key])) return (value as any)[key];
  return [];
}

/** KEYBOARD: buttons in rows, `{TYPE: "NEWLINE"}` between rows (b24restdocs chat-bots keyboard page). */
function Keyboard({ message, keyboard, actions }: { message: Message; keyboard: unknown; actions: ItemActions }) {
  const buttons = asList(keyboard, 'BUTTONS') as KeyboardButton[];
  if (!buttons.length) return null;
  const rows: KeyboardButton[][] = [[]];
  for (const button of buttons) {
    if (button.TYPE === 'NEWLINE') rows.push([]);
    else rows[rows.length - 1].push(button);
  }
  return (
    <fieldset class="keyboard">
      <legend class="visually-hidden">{t('messenger.botKeyboard')}</legend>
      {rows
        .filter((row) => row.length)
        .map((row, r) => (
          <div class="keyboard-row" key={r}>
            {row.map((button, b) => (
              <KeyboardKey key={b} message={message} button={button} actions={actions} />
            ))}
          </div>
        ))}
    </fieldset>
  );
}

function KeyboardKey({ message, button, actions }: { message: Message; button: KeyboardButton; actions: ItemActions }) {
  const style = { background: safeColor(button.BG_COLOR), color: safeColor(button.TEXT_COLOR) };
  const cls = button.DISPLAY === 'LINE' ? 'key line' : 'key';
  const label = button.TEXT ?? '';
  if (button.LINK && SAFE_URL.test(button.LINK)) {
    return (
      <a class={cls} style={style} href={button.LINK} target="_blank" rel="noopener noreferrer">
        {label}
      </a>
    );
  }
  const onClick = pressOf(message, button, actions);
  return (
    <button
      type="button"
      class={cls}
      style={style}
      disabled={button.DISABLED === 'Y' || !onClick}
      onClick={onClick}
      data-command={button.COMMAND}
    >
      {label}
    </button>
  );
}

/** Links from a message: absolute http(s) and mailto, or a path on this server (the docs allow "/crm/…"). */
function safeHref(href: unknown): string | undefined {
  if (typeof href !== 'string') return undefined;
  return SAFE_URL.test(href) || /^\/(?!\/)/.test(href) ? href : undefined;
}

/** Where a block's USER_ID / CHAT_ID / BOT_ID points inside the messenger, as a dialog id. */
function dialogOf(item: any): string | undefined {
  const chat = Number(item?.CHAT_ID);
  if (chat > 0) return `chat${chat}`;
  const user = Number(item?.USER_ID) || Number(item?.BOT_ID);
  return user > 0 ? String(user) : undefined;
}

/** A block item's caption as a link: its LINK, else its dialog in the messenger, else plain. */
function Linked({ item, actions, children }: { item: any; actions: ItemActions; children: JSX.Element | string }) {
  const href = safeHref(item?.LINK);
  if (href) {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  }
  const dialog = dialogOf(item);
  if (dialog) {
    return (
      <button type="button" class="mention" onClick={() => actions.openDialog(dialog)}>
        {children}
      </button>
    );
  }
  return <span>{children}</span>;
}

const COLOR_TOKENS = ['primary', 'secondary', 'alert', 'base'];

/**
 * ATTACH (b24restdocs chat-bots-v2/imbot.v2/messages/attachments/**): one attachment or a list, each an object with
 * BLOCKS (and COLOR_TOKEN / COLOR for its stripe) or a bare list of blocks. Blocks: MESSAGE, LINK, USER, GRID (BLOCK,
 * LINE, ROW, TABLE), IMAGE, FILE, DELIMITER. HTML of LINK blocks is never used: markup from a message stays out.
 */
function Attach({ attach, actions }: { attach: unknown; actions: ItemActions }) {
  const list = Array.isArray(attach) && attach.every((a) => a && typeof a === 'object' && 'BLOCKS' in a);
  const attachments: any[] = list ? (attach as any[]) : attach && typeof attach === 'object' ? [attach] : [];
  if (!attachments.length) return null;
  return (
    <>
      {attachments.map((item, i) => {
        const blocks = Array.isArray(item) ? item : asList(item, 'BLOCKS');
        const token = COLOR_TOKENS.includes(item?.COLOR_TOKEN) ? item.COLOR_TOKEN : 'base';
        return (
          <div class={`attach attach-${token}`} key={i} style={{ borderColor: safeColor(item?.COLOR) }}>
            {blocks.map((block, j) => (
              <AttachBlock key={j} block={block} actions={actions} />
            ))}
          </div>
        );
      })}
    </>
  );
}

const items = (value: unknown): any[] => (Array.isArray(value) ? value : value ? [value] : []);

function fileSize(bytes: unknown): string {
  const n = Number(bytes);
  if (!(n > 0)) return '';
  const units = ['B', 'KB', 'MB', 'GB'];
  const power = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** power).toFixed(power ? 1 : 0)} ${units[power]}`;
}

function AttachBlock({ block, actions }: { block: any; actions: ItemActions }): JSX.Element | null {
  if (!block || typeof block !== 'object') return null;
  const bb = (text: unknown) => renderBbCode(String(text ?? ''), actions, { commands: false });
  if (block.MESSAGE !== undefined) return <p class="attach-message">{bb(block.MESSAGE)}</p>;
  if (block.DELIMITER !== undefined) {
    const size = Number(block.DELIMITER?.SIZE);
    return (
      <hr
        class="attach-delimiter"
        style={{ width: size > 0 ? `${size}px` : undefined, borderColor: safeColor(block.DELIMITER?.COLOR) }}
      />
    );
  }
  if (block.LINK) {
    return (
      <>
        {items(block.LINK).map((link, k) => {
          const preview = safeHref(link?.PREVIEW);
          return (
            <div class="attach-link" key={k}>
              <Linked item={link} actions={actions}>
                <strong>{String(link?.NAME ?? link?.LINK ?? '')}</strong>
              </Linked>
              {link?.DESC && <p>{bb(link.DESC)}</p>}
              {preview && <img src={preview} alt="" loading="lazy" />}
            </div>
          );
        })}
      </>
    );
  }
  if (block.USER) {
    return (
      <div class="attach-user">
        {items(block.USER).map((user, k) => {
          const avatar = safeHref(user?.AVATAR);
          return (
            <span key={k} class="attach-user-item">
              {avatar ? (
                <img class="avatar" src={avatar} alt="" />
              ) : (
                <Avatar name={String(user?.NAME ?? '')} bot={user?.AVATAR_TYPE === 'BOT' || !!user?.BOT_ID} />
              )}
              <Linked item={user} actions={actions}>
                {String(user?.NAME ?? '')}
              </Linked>
            </span>
          );
        })}
      </div>
    );
  }
  if (Array.isArray(block.GRID)) {
    const display = String(block.GRID[0]?.DISPLAY ?? 'BLOCK').toLowerCase();
    return (
      <dl class={`attach-grid ${display}`}>
        {block.GRID.map((cell: any, k: number) => {
          const width = Number(cell?.WIDTH);
          return (
            <div
              key={k}
              class={`cell ${String(cell?.DISPLAY ?? 'BLOCK').toLowerCase()}`}
              style={{ width: display === 'line' && width > 0 ? `${width}px` : undefined }}
            >
              {cell?.NAME !== undefined && <dt>{String(cell.NAME)}</dt>}
              {cell?.VALUE !== undefined && (
                <dd style={{ color: safeColor(cell?.COLOR) }}>
                  {safeHref(cell?.LINK) || dialogOf(cell) ? (
                    <Linked item={cell} actions={actions}>
                      {String(cell.VALUE)}
                    </Linked>
                  ) : (
                    bb(cell.VALUE)
                  )}
                </dd>
              )}
            </div>
          );
        })}
      </dl>
    );
  }
  if (block.IMAGE) {
    return (
      <div class="attach-images">
        {items(block.IMAGE)
          .filter((img) => safeHref(img?.LINK))
          .map((img, k) => (
            <a key={k} href={safeHref(img.LINK)} target="_blank" rel="noopener noreferrer">
              <img
                src={safeHref(img.PREVIEW) ?? safeHref(img.LINK)}
                alt={String(img.NAME ?? '')}
                width={Number(img.WIDTH) || undefined}
                height={Number(img.HEIGHT) || undefined}
                loading="lazy"
              />
            </a>
          ))}
      </div>
    );
  }
  if (block.FILE) {
    return (
      <ul class="attach-files">
        {items(block.FILE).map((file, k) => (
          <li key={k}>
            <Linked item={file} actions={actions}>
              {String(file?.NAME ?? file?.LINK ?? 'file')}
            </Linked>
            {fileSize(file?.SIZE) && <span class="size"> {fileSize(file.SIZE)}</span>}
          </li>
        ))}
      </ul>
    );
  }
  return null;
}
