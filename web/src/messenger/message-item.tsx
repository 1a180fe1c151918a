import type { JSX } from 'preact';
import { safeColor } from '../avatar.tsx';
import { type MessageActions, renderBbCode } from '../bbcode.tsx';
import type { Message } from './model.ts';

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
}

export interface ItemActions extends MessageActions {
  /**
   * A keyboard button with COMMAND: `im.message.command` for the message's bot, as Bitrix24's own client does
   * (ONIMCOMMANDADD with COMMAND_CONTEXT KEYBOARD; nothing is posted to the chat).
   */
  command(message: Message, command: string, params: string): void;
  copy(text: string): void;
}

const SAFE_URL = /^(https?:|mailto:)/i;

/** One message: author and time (first of a run), BB-code text, ATTACH blocks and the bot's KEYBOARD. */
export function MessageItem(props: {
  message: Message;
  author: string;
  authorIsBot: boolean;
  mine: boolean;
  showAuthor: boolean;
  actions: ItemActions;
}) {
  const { message, actions } = props;
  const time = new Date(message.date);
  return (
    <li
      class={`message${props.mine ? ' mine' : ''}${props.authorIsBot ? ' from-bot' : ''}`}
      data-message-id={message.id}
      data-author-id={message.authorId}
    >
      {props.showAuthor && <span class="author">{props.author}</span>}
      <div class="bubble">
        {message.text && <div class="text">{renderBbCode(message.text, actions, { commands: props.authorIsBot })}</div>}
        <Attach attach={message.params.ATTACH} actions={actions} />
        <time dateTime={time.toISOString()}>{time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
      </div>
      <Keyboard message={message} keyboard={message.params.KEYBOARD} actions={actions} />
    </li>
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
      <legend class="visually-hidden">Bot keyboard</legend>
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
  const value = button.ACTION_VALUE ?? '';
  const run: Record<string, () => void> = {
    SEND: () => actions.send(value),
    PUT: () => actions.put(value),
    COPY: () => actions.copy(value),
    DIALOG: () => actions.openDialog(value),
  };
  const command = button.COMMAND;
  const onClick = button.ACTION
    ? run[button.ACTION]
    : command
      ? () => actions.command(message, command, button.COMMAND_PARAMS ?? '')
      : undefined;
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

/** ATTACH blocks (b24restdocs chat-bots attach pages): text, links, grids, images, users, files, delimiters. */
function Attach({ attach, actions }: { attach: unknown; actions: ItemActions }) {
  const attachments = Array.isArray(attach) ? attach : attach && typeof attach === 'object' ? [attach] : [];
  if (!attachments.length) return null;
  return (
    <>
      {attachments.map((item: any, i) => {
        const blocks = asList(item, 'BLOCKS');
        return (
          <div class="attach" key={i} style={{ borderColor: safeColor(item?.COLOR) }}>
            {blocks.map((block, j) => (
              <AttachBlock key={j} block={block} actions={actions} />
            ))}
          </div>
        );
      })}
    </>
  );
}

function AttachBlock({ block, actions }: { block: any; actions: ItemActions }): JSX.Element | null {
  if (!block || typeof block !== 'object') return null;
  const link = (href: unknown, children: JSX.Element | string) =>
    typeof href === 'string' && SAFE_URL.test(href) ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    );
  if (typeof block.MESSAGE === 'string') {
    return <p class="attach-message">{renderBbCode(block.MESSAGE, actions, { commands: false })}</p>;
  }
  if (block.DELIMITER !== undefined) return <hr class="attach-delimiter" />;
  if (block.LINK) {
    const item = Array.isArray(block.LINK) ? block.LINK[0] : block.LINK;
    return (
      <div class="attach-link">
        {link(item?.LINK, <strong>{String(item?.NAME ?? item?.LINK ?? '')}</strong>)}
        {item?.DESC && <p>{renderBbCode(String(item.DESC), actions, { commands: false })}</p>}
      </div>
    );
  }
  if (Array.isArray(block.GRID)) {
    return (
      <dl class="attach-grid">
        {block.GRID.map((cell: any, k: number) => (
          <div key={k} class={cell?.DISPLAY === 'LINE' || cell?.DISPLAY === 'ROW' ? 'cell line' : 'cell'}>
            <dt>{String(cell?.NAME ?? '')}</dt>
            <dd>{link(cell?.LINK, String(cell?.VALUE ?? ''))}</dd>
          </div>
        ))}
      </dl>
    );
  }
  if (block.IMAGE) {
    const images = Array.isArray(block.IMAGE) ? block.IMAGE : [block.IMAGE];
    return (
      <div class="attach-images">
        {images
          .filter((img: any) => typeof img?.LINK === 'string' && /^https?:/i.test(img.LINK))
          .map((img: any, k: number) => (
            <img
              key={k}
              src={img.PREVIEW && /^https?:/i.test(img.PREVIEW) ? img.PREVIEW : img.LINK}
              alt={String(img.NAME ?? '')}
            />
          ))}
      </div>
    );
  }
  if (block.USER) {
    const users = Array.isArray(block.USER) ? block.USER : [block.USER];
    return (
      <div class="attach-user">
        {users.map((u: any, k: number) => (
          <span key={k}>{link(u?.LINK, String(u?.NAME ?? ''))}</span>
        ))}
      </div>
    );
  }
  if (block.FILE) {
    const files = Array.isArray(block.FILE) ? block.FILE : [block.FILE];
    return (
      <ul class="attach-files">
        {files.map((f: any, k: number) => (
          <li key={k}>{link(f?.LINK, String(f?.NAME ?? f?.LINK ?? 'file'))}</li>
        ))}
      </ul>
    );
  }
  return null;
}
