import type { BotRow } from '../../domain/bots.ts';
import { imUserView } from '../../domain/im-user-view.ts';
import { asList, decodeJsonParam } from '../../domain/json-param.ts';
import { fail } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { messengerLive } from './messenger-live.ts';
import { intval } from './php-int.ts';

/**
 * b24restdocs api-reference/chats/users/im-user-list-get.md: the users of ID (an array, or a JSON string of one) as
 * the messenger shows them (colour, gender, bot flag: what user.get does not tell); keyed by id unless RESULT_TYPE
 * is `array`. ID missing or no list is INVALID_FORMAT "A wrong format for the ID field is passed"; ids that name
 * nobody are left out, without error, as the page says of users the caller may not see.
 */
export default defineMethod({
  name: 'im.user.list.get',
  scope: 'im',
  params: {},
  async handler({ raw }, services) {
    const { domain } = services;
    const list = asList(decodeJsonParam(raw.ID));
    if (!list) throw fail('INVALID_FORMAT', 'A wrong format for the ID field is passed');
    const ids = [...new Set(list.map(intval).filter((id) => id > 0))];
    const people = await domain.users.getMany(ids);
    const { origin } = messengerLive(services);
    const views: Record<string, unknown>[] = [];
    for (const id of ids) {
      const user = people.get(id);
      if (!user) continue;
      const bot: BotRow | undefined = user.is_bot ? await domain.bots.get(id) : undefined;
      views.push(imUserView(user, bot, origin));
    }
    if (String(raw.RESULT_TYPE ?? '').toLowerCase() === 'array') return views;
    // PHP's empty array is `[]` in JSON, a filled one keyed by id an object.
    return views.length ? Object.fromEntries(views.map((v) => [String(v.id), v])) : [];
  },
});
