import type { Db } from '../store/db.ts';
import { normalizeText } from './bb-code.ts';
import { chatColor, managerList } from './chat-rules.ts';
import type { ChatRow, Chats } from './chats.ts';
import { emptyAftermath, type Live, type Messenger } from './messenger.ts';
import {
  type ChatChanges,
  chatManagersPulls,
  chatOwnerPulls,
  chatUpdatePulls,
  chatUserAddPulls,
  chatUserLeavePulls,
} from './messenger-pull.ts';
import type { UserRow } from './user-row.ts';
import { fullName, type Users } from './users.ts';

/** A person as the im module's system notices name one. */
function mention(user: UserRow): string {
  return `[USER=${user.id} REPLACE]${fullName(user)}[/USER]`;
}

/** A colour as the notices word it: LIGHT_BLUE → "Light blue". */
function colorWord(color: string): string {
  return color.charAt(0) + color.slice(1).toLowerCase().replaceAll('_', ' ');
}

/** The active users among `ids`, in their order, each once. */
async function activeUsers(db: Db, ids: number[]): Promise<UserRow[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await db.query<UserRow>('SELECT * FROM users WHERE id = ANY($1) AND active', [unique]);
  return unique.flatMap((id) => rows.filter((r) => r.id === id));
}

/**
 * Group chats as people and bots change them — who is in them (create, add, remove) and how they look and are run
 * (title, colour, avatar, description, owner, managers). The rows are written by Chats; each change posts its
 * system notice and tells bots through the Messenger, in the same transaction, and publishes what the Bitrix24
 * messenger publishes once committed.
 */
export class GroupChats {
  constructor(
    private readonly db: Db,
    private readonly users: Users,
    private readonly chats: Chats,
    private readonly messenger: Messenger,
  ) {}

  /**
   * A group chat created by a person (im.chat.add) or a bot (imbot.chat.add) with the given members (unknown or
   * inactive users are left out) and an optional first message of the author. Every bot in it is told
   * (ONIMBOTJOINCHAT), a creating bot too, as the im module's GroupChat factory tells each member bot.
   */
  async create(input: {
    author: UserRow;
    type: 'C' | 'O';
    title: string;
    description: string;
    color: string;
    /** A path of the avatar store. */
    avatar?: string;
    entityType: string;
    entityId: string;
    users: number[];
    message: string;
    live: Live;
  }): Promise<ChatRow> {
    const after = emptyAftermath();
    const chat = await this.db.tx(async (tx) => {
      const people = await activeUsers(
        tx,
        input.users.filter((id) => id !== input.author.id),
      );
      let chat = await this.chats.insert(tx, { ...input, authorId: input.author.id, ownerId: input.author.id });
      if (!chat.title) {
        // Without TITLE the platform names the chat after its members (b24restdocs im.chat.add).
        const title = people.length ? `Chat with ${people.map(fullName).join(', ')}` : `Chat №${chat.id}`;
        chat = await this.chats.update(chat.id, { title }, tx);
      }
      await this.chats.join(tx, chat, [input.author.id, ...people.map((u) => u.id)]);
      await this.messenger.botsJoined(tx, chat, [input.author, ...people], input.author, true, after);
      const text = normalizeText(input.message);
      if (text) {
        await this.messenger.sendIn(
          tx,
          {
            author: input.author,
            byBot: input.author.is_bot,
            target: { kind: 'chat', chat },
            text,
            extras: {},
            system: false,
            live: input.live,
          },
          after,
        );
      }
      return chat;
    });
    this.messenger.finish(after);
    return chat;
  }

  /**
   * Adds people to a group chat (im.chat.user.add): already-present, unknown and inactive ids are skipped; returns
   * who was added. With `hideHistory` they see only what comes after. Everyone in the chat gets `chatUserAdd`, the
   * chat gets the platform's "invited" system message, and added bots are told (ONIMBOTJOINCHAT).
   */
  async addMembers(input: {
    actor: UserRow;
    chat: ChatRow;
    userIds: number[];
    hideHistory: boolean;
    live: Live;
  }): Promise<number[]> {
    const after = emptyAftermath();
    const added = await this.db.tx(async (tx) => {
      const chat = (await this.chats.row(tx, input.chat.id, true))!;
      const people = await activeUsers(tx, input.userIds);
      // New members have read everything before they came; hidden history starts after the last message.
      const addedIds = new Set(
        await this.chats.join(
          tx,
          chat,
          people.map((u) => u.id),
          { startId: input.hideHistory ? chat.last_message_id + 1 : 0, lastReadId: chat.last_message_id },
        ),
      );
      const joined = people.filter((u) => addedIds.has(u.id));
      if (!joined.length) return [];
      await this.messenger.botsJoined(tx, chat, joined, input.actor, !input.hideHistory, after);
      const participants = await this.messenger.participants(tx, chat.id);
      const scene = await this.messenger.scene(chat, participants, input.live);
      after.deliveries.push(...chatUserAddPulls(scene, [...addedIds]));
      const names = joined.map(mention).join(', ');
      await this.messenger.sendIn(
        tx,
        {
          author: input.actor,
          byBot: false,
          target: { kind: 'chat', chat },
          text: `${mention(input.actor)} invited ${names} to the chat`,
          extras: {},
          system: true,
          params: { CODE: ['CHAT_JOIN'], NOTIFY: 'N' },
          live: input.live,
        },
        after,
      );
      return [...addedIds];
    });
    this.messenger.finish(after);
    return added;
  }

  /**
   * Takes a member out of a group chat (imbot.chat.leave, imbot.chat.user.delete): the chat gets the im module's
   * CHAT_LEAVE notice by `actor` ("left the chat", or "removed … from the chat" when it was someone else), and
   * everyone who was in the chat gets `chatUserLeave` (CIMChat::DeleteUser). False when they were no member.
   */
  async removeMember(input: { actor: UserRow; chat: ChatRow; userId: number; live: Live }): Promise<boolean> {
    const after = emptyAftermath();
    const removed = await this.db.tx(async (tx) => {
      const chat = (await this.chats.row(tx, input.chat.id, true))!;
      const former = (await this.messenger.participants(tx, chat.id)).map((p) => p.user_id);
      if (!(await this.chats.leave(tx, chat.id, input.userId))) return false;
      const self = input.userId === input.actor.id;
      const text = self
        ? `${mention(input.actor)} left the chat`
        : `${mention(input.actor)} removed ${mention((await this.users.get(input.userId))!)} from the chat`;
      await this.messenger.sendIn(
        tx,
        {
          author: input.actor,
          byBot: input.actor.is_bot,
          target: { kind: 'chat', chat },
          text,
          extras: {},
          system: true,
          params: { CODE: ['CHAT_LEAVE'], NOTIFY: 'N' },
          live: input.live,
        },
        after,
      );
      const scene = await this.messenger.scene(chat, await this.messenger.participants(tx, chat.id), input.live);
      after.deliveries.push(...chatUserLeavePulls(scene, former, input.userId, self ? '' : text));
      return true;
    });
    this.messenger.finish(after);
    return removed;
  }

  /**
   * Changes what a group chat looks like (imbot.chat.updateTitle / updateColor / updateAvatar, imbot.v2.Chat.update);
   * values it already has change nothing. A new title or colour is announced in the chat by a system message of
   * `actor`, as CIMChat::Rename and SetColor post one (b24restdocs chats/chat-update/index.md: "changed the chat
   * color to \"Mint\""); every member gets `chatRename`, `chatChangeColor`, `chatAvatar` or `chatDescription`.
   */
  async update(input: { actor: UserRow; chat: ChatRow; changes: ChatChanges; live: Live }): Promise<void> {
    const { actor } = input;
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const current = (await this.chats.row(tx, input.chat.id, true))!;
      const changes = Object.fromEntries(
        Object.entries(input.changes).filter(
          ([key, value]) =>
            value !== undefined && value !== (key === 'color' ? chatColor(current) : current[key as keyof ChatChanges]),
        ),
      ) as ChatChanges;
      if (!Object.keys(changes).length) return;
      const chat = await this.chats.update(input.chat.id, changes, tx);
      const notices = [
        changes.title === undefined ? '' : `changed the chat name to "${changes.title}"`,
        changes.color === undefined ? '' : `changed the chat color to "${colorWord(changes.color)}"`,
      ];
      for (const notice of notices.filter(Boolean)) {
        await this.messenger.sendIn(
          tx,
          {
            author: actor,
            byBot: actor.is_bot,
            target: { kind: 'chat', chat },
            text: `${mention(actor)} ${notice}`,
            extras: {},
            system: true,
            live: input.live,
          },
          after,
        );
      }
      const scene = await this.messenger.scene(chat, await this.messenger.participants(tx, chat.id), input.live);
      after.deliveries.push(...chatUpdatePulls(scene, changes));
    });
    this.messenger.finish(after);
  }

  /** Hands a group chat to another member (imbot.chat.setOwner): every member gets `chatOwner`. */
  async setOwner(input: { chat: ChatRow; userId: number; live: Live }): Promise<void> {
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const chat = await this.chats.update(input.chat.id, { owner_id: input.userId }, tx);
      const scene = await this.messenger.scene(chat, await this.messenger.participants(tx, chat.id), input.live);
      after.deliveries.push(...chatOwnerPulls(scene));
    });
    this.messenger.finish(after);
  }

  /**
   * Grants (true) or revokes (false) manager rights (imbot.chat.setManager, imbot.v2.Chat.Manager.*). Only members
   * are changed, never the owner (CIMChat::SetManagers); every member gets `chatManagers`, the list after it.
   */
  async setManagers(input: { chat: ChatRow; managers: Map<number, boolean>; live: Live }): Promise<void> {
    const after = emptyAftermath();
    await this.db.tx(async (tx) => {
      const chat = (await this.chats.row(tx, input.chat.id, true))!;
      await this.chats.setManagers(tx, chat, input.managers);
      const participants = await this.messenger.participants(tx, chat.id);
      const scene = await this.messenger.scene(chat, participants, input.live);
      after.deliveries.push(...chatManagersPulls(scene, managerList(chat, participants)));
    });
    this.messenger.finish(after);
  }
}
