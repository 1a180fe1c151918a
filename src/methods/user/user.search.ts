import { defineMethod } from '../define.ts';
import { listUsers } from './user-list.ts';

/**
 * b24restdocs api-reference/user/user-search.md: user.get whose NAME, LAST_NAME, SECOND_NAME and WORK_POSITION
 * match from the start ("right LIKE"), or FIND across all of them.
 */
export default defineMethod({
  name: 'user.search',
  scope: ['user', 'user_brief', 'user_basic'],
  params: {},
  async handler({ raw, caller }, services) {
    return listUsers(raw, caller, services, 'search');
  },
});
