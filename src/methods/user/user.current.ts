import { visibleUserFields } from '../../domain/user-fields.ts';
import { userView } from '../../domain/user-view.ts';
import { defineMethod } from '../define.ts';

/** b24restdocs api-reference/user/user-current.md: the token's or webhook's own user, fields as its scope allows. */
export default defineMethod({
  name: 'user.current',
  scope: ['user', 'user_brief', 'user_basic'],
  params: {},
  async handler({ caller }, { domain, clock, portal }) {
    const user = await domain.users.require(caller.userId);
    const origin = new URL(portal().clientEndpoint).origin;
    return userView(user, { visible: visibleUserFields(caller.scopes), nowMs: clock.now(), origin });
  },
});
