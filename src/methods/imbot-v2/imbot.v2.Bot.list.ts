import { v2Bot, v2User } from '../../domain/v2-entities.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { defineMethod } from '../define.ts';
import { v2Application } from './v2-bot-context.ts';

const ARGS = {
  filter: p.object().optional(),
  limit: p.int().default(50),
  offset: p.int().default(0),
};

/**
 * b24restdocs chat-bots-v2/imbot.v2/bots/bot-list.md: the calling application's bots in the extended format,
 * v1 registrations included (migration.md: "visible in v2 and vice versa"). "Always a successful response": an
 * unknown `filter.type` is an empty list. A `limit` below 1 is 1 and a negative `offset` 0 (docs/decisions.md).
 */
export default defineMethod({
  name: 'imbot.v2.Bot.list',
  scope: 'imbot',
  params: {},
  async handler({ caller, raw }, { domain, portal }) {
    const app = v2Application(caller, raw.botToken);
    const args = bindParams(ARGS, raw, 'controller');
    const type = args.filter?.type;
    const rows = await domain.v2Bots.ofApp(app, typeof type === 'string' ? type : undefined);
    const offset = Math.max(0, args.offset);
    const page = rows.slice(offset, offset + Math.max(1, args.limit));
    const counts = await domain.v2Bots.counts(page.map((b) => b.id));
    const users = await domain.users.getMany(page.map((b) => b.id));
    const origin = new URL(portal().clientEndpoint).origin;
    return {
      bots: page.map((row) => v2Bot(row, counts.get(row.id))),
      users: page.flatMap((row) => {
        const user = users.get(row.id);
        return user ? [v2User(user, row, origin)] : [];
      }),
      hasNextPage: offset + page.length < rows.length,
    };
  },
});
