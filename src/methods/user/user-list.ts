import type { Caller } from '../../domain/caller.ts';
import { visibleUserFields } from '../../domain/user-fields.ts';
import { selectedUserFields, userView } from '../../domain/user-view.ts';
import { type Params, upperKeys } from '../../wire/params/nest.ts';
import { PAGE_SIZE, type Page, page, pageStart, type Services } from '../define.ts';

/**
 * user.get and user.search (b24restdocs api-reference/user/user-get.md, user-search.md): params in any case;
 * FILTER (or, when it is not an object, the top-level params themselves, as the platform reads `user.get?ID=1`),
 * sort/order, select, and pages of 50 by `start` (`-1`: no total). Bots are never listed; the fields shown and
 * filterable depend on the caller's user / user_basic / user_brief scope.
 */
export async function listUsers(
  raw: Params,
  caller: Caller,
  { domain, clock, portal }: Services,
  mode: 'get' | 'search',
): Promise<Page> {
  const query = upperKeys(raw);
  const visible = visibleUserFields(caller.scopes);
  const filter = query.FILTER && typeof query.FILTER === 'object' ? (query.FILTER as Params) : raw;
  const start = pageStart(raw);
  const nowMs = clock.now();
  const { rows, total } = await domain.users.find(
    { filter, mode, visible, sort: query.SORT, order: query.ORDER, nowMs },
    { offset: Math.max(start, 0), limit: PAGE_SIZE, count: start !== -1 },
  );
  const context = {
    visible,
    nowMs,
    origin: new URL(portal().clientEndpoint).origin,
    select: selectedUserFields(query.SELECT, visible),
  };
  return page(
    rows.map((user) => userView(user, context)),
    total,
    start,
  );
}
