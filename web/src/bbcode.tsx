import type { ComponentChildren } from 'preact';
import { contrast, fullHex } from './contrast.ts';

/** What clickable parts of a message do: send a text, put it into the composer, open someone's dialog. */
export interface MessageActions {
  send(text: string): void;
  put(text: string): void;
  openDialog(dialogId: string): void;
}

interface Element {
  tag: string;
  arg: string | undefined;
  raw: string;
  children: Tree[];
}
type Tree = string | Element;

const TAG = /\[(\/?)(b|i|u|s|url|user|code|send|put|br|color)(?:=([^\]]*))?\]/gi;
const LINK = /(https?:\/\/[^\s<>"'[\]]+[^\s<>"'[\].,;:!?)])/g;
const COMMAND = /(^|\s)(\/[a-z][\w-]*)(?=$|[\s.,;:!?])/gi;

/**
 * Bitrix24 BB-code to Preact nodes. Only text nodes and whitelisted elements are produced, so nothing in a message
 * can become markup: [b] [i] [u] [s] [url] [url=…] [USER=…] [code] [send=…] [put=…] [color=#hex] [br] and line breaks. An
 * unknown or unclosed tag stays as the text it was.
 */
export function parseBbCode(text: string): Tree[] {
  const root: Element = { tag: '', arg: undefined, raw: '', children: [] };
  const stack: Element[] = [root];
  const top = () => stack[stack.length - 1];
  let at = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match; match = TAG.exec(text)) {
    const [raw, slash, name, arg] = match;
    const tag = name.toLowerCase();
    if (match.index > at) top().children.push(text.slice(at, match.index));
    at = match.index + raw.length;
    if (tag === 'br' && !slash) {
      top().children.push('\n');
    } else if (tag === 'code' && !slash) {
      // Code is literal: everything up to [/code] is text, tags included.
      const end = text.toLowerCase().indexOf('[/code]', at);
      if (end === -1) {
        top().children.push(raw);
        continue;
      }
      top().children.push({ tag, arg: undefined, raw, children: [text.slice(at, end)] });
      at = end + '[/code]'.length;
      TAG.lastIndex = at;
    } else if (!slash) {
      const element: Element = { tag, arg, raw, children: [] };
      top().children.push(element);
      stack.push(element);
    } else if (stack.some((e, i) => i > 0 && e.tag === tag)) {
      while (top().tag !== tag) unwrap(stack.pop()!, top());
      stack.pop();
    } else {
      top().children.push(raw);
    }
  }
  if (at < text.length) top().children.push(text.slice(at));
  while (stack.length > 1) unwrap(stack.pop()!, top());
  return root.children;
}

/** An element that never closed was not a tag: its opening text and children go back into the parent. */
function unwrap(element: Element, parent: Element): void {
  const index = parent.children.lastIndexOf(element);
  parent.children.splice(index, 1, element.raw, ...element.children);
}

function textOf(trees: Tree[]): string {
  return trees.map((t) => (typeof t === 'string' ? t : textOf(t.children))).join('');
}

/** The message as one line of plain text, for the dialog list and notifications. */
export function plainText(text: string): string {
  return textOf(parseBbCode(text)).replace(/\s+/g, ' ').trim();
}

const SAFE_URL = /^(https?:|mailto:)/i;

/** What message text is drawn on: others' bubbles and notices (white) and one's own bubble (--mine in styles.css). */
const BUBBLES = ['#ffffff', '#dcf2fd'];

/**
 * A `[color=#rgb]` / `#rrggbb` a person can read on every bubble (4.5:1 against white and against one's own light
 * blue, WCAG AA); anything else (a name, a light colour) leaves the text in the bubble's own colour.
 */
function readableColor(arg: string | undefined): string | undefined {
  const color = fullHex(arg);
  return color && BUBBLES.every((bubble) => contrast(color, bubble) >= 4.5) ? color : undefined;
}

export function renderBbCode(text: string, actions: MessageActions, options: { commands: boolean }): ComponentChildren {
  return parseBbCode(text).map((tree, i) => renderTree(tree, i, actions, options));
}

function renderTree(tree: Tree, key: number, actions: MessageActions, options: { commands: boolean }) {
  if (typeof tree === 'string') return renderText(tree, key, actions, options);
  const children = () => tree.children.map((t, i) => renderTree(t, i, actions, options));
  switch (tree.tag) {
    case 'b':
      return <strong key={key}>{children()}</strong>;
    case 'i':
      return <em key={key}>{children()}</em>;
    case 'u':
      return <u key={key}>{children()}</u>;
    case 's':
      return <s key={key}>{children()}</s>;
    case 'color': {
      const color = readableColor(tree.arg);
      return color ? (
        <span key={key} style={{ color }}>
          {children()}
        </span>
      ) : (
        <span key={key}>{children()}</span>
      );
    }
    case 'code':
      return (
        <code key={key} class="code-block">
          {textOf(tree.children)}
        </code>
      );
    case 'url': {
      const href = (tree.arg ?? textOf(tree.children)).trim();
      if (!SAFE_URL.test(href)) return <span key={key}>{children()}</span>;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer">
          {tree.arg === undefined ? href : children()}
        </a>
      );
    }
    case 'user': {
      // `[USER=5]` and the messenger's `[USER=5 REPLACE]` of system notices.
      const userId = Number(/^\s*(\d+)/.exec(tree.arg ?? '')?.[1]);
      if (!Number.isInteger(userId) || userId <= 0) return <span key={key}>{children()}</span>;
      return (
        <button key={key} type="button" class="mention" onClick={() => actions.openDialog(String(userId))}>
          {children()}
        </button>
      );
    }
    case 'send':
    case 'put': {
      const command = tree.arg ?? textOf(tree.children);
      const run = () => (tree.tag === 'send' ? actions.send(command) : actions.put(command));
      return (
        <button key={key} type="button" class="inline-command" onClick={run}>
          {children()}
        </button>
      );
    }
    default:
      return <span key={key}>{children()}</span>;
  }
}

/** Plain text: line breaks, bare links, and (in bot messages) `/commands` that send themselves when clicked. */
function renderText(text: string, key: number, actions: MessageActions, options: { commands: boolean }) {
  const out: ComponentChildren[] = [];
  text.split('\n').forEach((line, lineIndex) => {
    if (lineIndex > 0) out.push(<br key={`br${lineIndex}`} />);
    line.split(LINK).forEach((part, partIndex) => {
      const partKey = `${lineIndex}.${partIndex}`;
      if (partIndex % 2 === 1) {
        out.push(
          <a key={partKey} href={part} target="_blank" rel="noopener noreferrer">
            {part}
          </a>,
        );
        return;
      }
      if (!options.commands) {
        out.push(part);
        return;
      }
      let last = 0;
      for (const match of part.matchAll(COMMAND)) {
        const start = match.index + match[1].length;
        if (start > last) out.push(part.slice(last, start));
        const command = match[2];
        out.push(
          <button
            key={`${partKey}.${start}`}
            type="button"
            class="inline-command"
            onClick={() => actions.send(command)}
          >
            {command}
          </button>,
        );
        last = start + command.length;
      }
      if (last < part.length) out.push(part.slice(last));
    });
  });
  return <span key={key}>{out}</span>;
}
