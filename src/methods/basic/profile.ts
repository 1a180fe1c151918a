import { USER_FIELDS_BY_NAME } from '../../domain/user-fields.ts';
import { userFieldValue } from '../../domain/user-view.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/common/users/profile.md: the caller's basic profile without any user scope. ADMIN as
 * user.admin answers; PERSONAL_PHOTO (a link) only when the user has one. (Inactive users cannot authenticate, so
 * the page's "empty for an inactive user" never arises.)
 */
export default defineMethod({
  name: 'profile',
  scope: 'basic',
  params: {},
  async handler({ caller }, { domain, clock, portal }) {
    const user = await domain.users.require(caller.userId);
    const context = { visible: new Set<string>(), nowMs: clock.now(), origin: new URL(portal().clientEndpoint).origin };
    const photo = userFieldValue(user, USER_FIELDS_BY_NAME.get('PERSONAL_PHOTO')!, context);
    return {
      ID: String(user.id),
      ADMIN: caller.isAdmin,
      NAME: user.name,
      LAST_NAME: user.last_name,
      PERSONAL_GENDER: user.personal_gender,
      ...(photo ? { PERSONAL_PHOTO: photo } : {}),
      TIME_ZONE: user.time_zone,
    };
  },
});
