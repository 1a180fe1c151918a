import { userView } from '../../domain/user-view.ts';
import { defineMethod } from '../define.ts';

/** b24restdocs api-reference/user/user-current.md: the token's or webhook's own user. */
export default defineMethod({
  name: 'user.current',
  scope: ['user', 'user_brief', 'user_basic'],
  params: {},
  async handler({ caller }, { domain }) {
    return userView(await domain.users.require(caller.userId));
  },
});
