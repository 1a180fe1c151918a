import { defineMethod } from '../define.ts';
import { listUsers } from './user-list.ts';

/** b24restdocs api-reference/user/user-get.md: users by filter, 50 per page, bots excluded. */
export default defineMethod({
  name: 'user.get',
  scope: ['user', 'user_brief', 'user_basic'],
  params: {},
  async handler({ raw, caller }, services) {
    return listUsers(raw, caller, services, 'get');
  },
});
