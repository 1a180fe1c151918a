import { isEmail, userChanges } from '../../domain/user-edit.ts';
import { fail } from '../../wire/errors.ts';
import { coerceBool, INVALID, p } from '../../wire/params/coerce.ts';
import { upperKeys } from '../../wire/params/nest.ts';
import { defineMethod } from '../define.ts';
import { storeUserFiles } from './user-files.ts';

/** The page's ERROR_ARGUMENT bodies carry `"argument": ""`. */
const argumentError = (description: string) =>
  Object.assign(fail('ERROR_ARGUMENT', description), { extra: { argument: '' } });

/**
 * b24restdocs api-reference/user/user-add.md: an administrator invites a user; the answer is the new id (a number,
 * as the page shows). Locally the invited user is created active at once and no e-mail is sent (docs/decisions.md).
 * An intranet user needs UF_DEPARTMENT; an extranet one (EXTRANET=Y) needs SONET_GROUP_ID instead.
 */
export default defineMethod({
  name: 'user.add',
  scope: 'user',
  params: {},
  async handler({ raw, caller }, { domain }) {
    if (!caller.isAdmin) throw fail('ERROR_CORE', 'access_denied');
    const fields = upperKeys(raw);
    const extranet = fields.EXTRANET !== undefined && coerceBool(fields.EXTRANET) === true;
    if (extranet) {
      const groups = [fields.SONET_GROUP_ID].flat().filter((g) => g !== undefined && g !== null && g !== '');
      if (groups.length === 0) throw fail('ERROR_GROUPID');
      if (groups.some((g) => p.id().coerce(g) === INVALID)) throw fail('ERROR_NO_GROUP');
    }
    const email = typeof fields.EMAIL === 'string' ? fields.EMAIL.trim() : '';
    if (!isEmail(email)) throw argumentError('wrong_email');
    const changes = userChanges(fields);
    const { columns, profile } = changes;
    if (!extranet && !columns.departments?.length) throw argumentError('no_extranet_field');
    if (await domain.users.byEmail(email)) throw argumentError('A user with this email already exists');
    await storeUserFiles(domain.avatars, changes);
    const user = await domain.users.create({
      ...columns,
      email,
      active: columns.active ?? true,
      user_type: extranet ? 'extranet' : 'employee',
      departments: extranet ? [] : columns.departments,
      profile_fields: profile,
    });
    return user.id;
  },
});
