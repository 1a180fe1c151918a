import type { Clock } from '../clock.ts';
import { SignInThrottle } from '../limits/sign-in-throttle.ts';
import type { Hub } from '../realtime/hub.ts';
import { LocalTypingStates, type TypingStates } from '../realtime/typing-states.ts';
import { type CacheBus, LocalCacheBus } from '../store/cache-bus.ts';
import type { Db } from '../store/db.ts';
import { Avatars } from './avatars.ts';
import { Bots } from './bots.ts';
import { Chats } from './chats.ts';
import { Commands } from './commands.ts';
import { Dialogs } from './dialogs.ts';
import { EventHandlers } from './event-handlers.ts';
import { type EventSink, MemoryEventSink } from './events.ts';
import { GroupChats } from './group-chats.ts';
import { Identities, type PortalInfo } from './identities.ts';
import { Messenger } from './messenger.ts';
import { OfflineEvents } from './offline-events.ts';
import { PasswordSignIn } from './password-sign-in.ts';
import { Recent } from './recent.ts';
import { Typing } from './typing.ts';
import { Users } from './users.ts';
import { V2Bots } from './v2-bots.ts';
import { V2Chats } from './v2-chats.ts';
import { V2Commands } from './v2-commands.ts';
import { V2Events } from './v2-events.ts';
import { V2Files } from './v2-files.ts';

/** Every domain service, built once per app from its store, clock and hub. */
export interface Domain {
  users: Users;
  identities: Identities;
  bots: Bots;
  chats: Chats;
  /** What a dialog id names for a viewer (every method that takes one). */
  dialogs: Dialogs;
  typing: Typing;
  /** Where bot events go, inside the transaction of the change that fired them. */
  events: EventSink;
  avatars: Avatars;
  /** Bot commands (imbot.command.*). */
  commands: Commands;
  /** Messages (imbot.message.*, im.message.*, im.dialog.read), and private dialogs opened by writing. */
  messenger: Messenger;
  /** Group chats' members, looks, owner and managers (imbot.chat.*, im.chat.*, imbot.v2.Chat.*). */
  groupChats: GroupChats;
  /** Unread counters and the recent dialogs (im.counters.get, im.recent.list). */
  recent: Recent;
  /** event.bind subscriptions of applications. */
  eventHandlers: EventHandlers;
  /** The offline event queue (event.offline.*). */
  offlineEvents: OfflineEvents;
  /** Chatbots 2.0 settings, lists and counters over the same bots (imbot.v2.Bot.*). */
  v2Bots: V2Bots;
  /** The fetch queues of v2 bots (imbot.v2.Event.get). */
  v2Events: V2Events;
  /** What the v2 chat methods read beyond the messenger (imbot.v2.Chat.User.list). */
  v2Chats: V2Chats;
  /** What the v2 command methods need beyond Commands (imbot.v2.Command.*). */
  v2Commands: V2Commands;
  /** Files sent into chats and their download links (imbot.v2.File.*, im.v2.File.*). */
  v2Files: V2Files;
  /** Password sign-in of the web pages and /oauth/authorize/, throttled. */
  signIn: PasswordSignIn;
  /** Drops every cached row and typing state (the store was reset behind the domain's back). */
  forget(): void;
}

/** What the nodes of a cluster share besides the store: typing states and the announcements of cache changes. */
export interface SharedState {
  typing: TypingStates;
  caches: CacheBus;
}

export function createDomain(
  db: Db,
  clock: Clock,
  hub: Hub,
  portal: () => PortalInfo,
  events: EventSink = new MemoryEventSink(),
  typingTtlMs = 15_000,
  shared: SharedState = { typing: new LocalTypingStates(), caches: new LocalCacheBus() },
): Domain {
  const users = new Users(db, clock, shared.caches);
  const chats = new Chats(db, clock, events, shared.caches);
  const typing = new Typing(clock, hub, typingTtlMs, shared.typing);
  const commands = new Commands(db, clock);
  const messenger = new Messenger(db, clock, hub, users, chats, typing, events, commands);
  const bots = new Bots(db, clock, users, chats, events, shared.caches);
  const identities = new Identities(db, clock, users, portal, shared.caches);
  return {
    users,
    identities,
    bots,
    chats,
    dialogs: new Dialogs(chats, users),
    typing,
    events,
    avatars: new Avatars(db, clock),
    commands,
    messenger,
    groupChats: new GroupChats(db, users, chats, messenger),
    recent: new Recent(db, users),
    eventHandlers: new EventHandlers(db, events),
    offlineEvents: new OfflineEvents(db),
    v2Bots: new V2Bots(db, bots, users),
    v2Events: new V2Events(db, clock),
    v2Chats: new V2Chats(db, clock, events),
    v2Commands: new V2Commands(db),
    v2Files: new V2Files(db, clock),
    signIn: new PasswordSignIn(users, new SignInThrottle(clock)),
    forget() {
      users.forget();
      chats.forget();
      bots.forget();
      identities.forget();
      typing.clear();
    },
  };
}
