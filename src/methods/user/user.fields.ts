import { USER_FIELD_LIST, visibleUserFields } from '../../domain/user-fields.ts';
import { defineMethod } from '../define.ts';

/** b24restdocs api-reference/user/user-fields.md: field code → caption, limited to what the caller's scope shows. */
export default defineMethod({
  name: 'user.fields',
  scope: ['user', 'user_brief', 'user_basic'],
  params: {},
  async handler({ caller }) {
    const visible = visibleUserFields(caller.scopes);
    return Object.fromEntries(USER_FIELD_LIST.filter((f) => visible.has(f.name)).map((f) => [f.name, f.caption]));
  },
});
