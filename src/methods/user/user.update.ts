import { isEmail, userChanges } from '../../domain/user-edit.ts';
import { ApiError, fail } from '../../wire/errors.ts';
import { INVALID, p } from '../../wire/params/coerce.ts';
import { upperKeys } from '../../wire/params/nest.ts';
import { defineMethod } from '../define.ts';
import { storeUserFiles } from './user-files.ts';

/**
 * b24restdocs api-reference/user/user-update.md: an administrator changes a user; ACTIVE=N dismisses. A missing or
 * malformed ID is ERROR_CORE "access_denied", an id that is no user (or a bot) ERROR_CORE with an empty
 * description, the two "Invalid user ID" rows of the page.
 */
export default defineMethod({
  name: 'user.update',
  scope: 'user',
  params: {},
  async handler({ raw, caller }, { domain }) {
    const fields = upperKeys(raw);
    const id = p.id().coerce(fields.ID);
    if (id === INVALID || !caller.isAdmin) throw fail('ERROR_CORE', 'access_denied');
    const user = await domain.users.get(id);
    if (!user || user.is_bot) throw new ApiError('ERROR_CORE', '');
    const changes = userChanges(fields);
    const { columns, profile } = changes;
    if (columns.email !== undefined) {
      if (!isEmail(columns.email)) throw fail('ERROR_CORE', 'EMAIL: wrong_email');
      if (await domain.users.byEmail(columns.email, user.id)) {
        throw fail('ERROR_CORE', 'A user with this email already exists');
      }
    }
    await storeUserFiles(domain.avatars, changes);
    await domain.users.update(user.id, { ...columns, profile_fields: { ...user.profile_fields, ...profile } });
    return true;
  },
});
