import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/common/users/profile.md: the caller's basic profile without any user scope. ADMIN as
 * user.admin answers; PERSONAL_PHOTO only when the user has one. (Inactive users cannot authenticate, so the
 * page's "empty for an inactive user" never arises.)
 */
export default defineMethod({
  name: 'profile',
  scope: 'basic',
  params: {},
  async handler({ caller }, { domain }) {
    const user = await domain.users.require(caller.userId);
    return {
      ID: String(user.id),
      ADMIN: caller.isAdmin,
      NAME: user.name,
      LAST_NAME: user.last_name,
      PERSONAL_GENDER: user.personal_gender,
      ...(user.personal_photo ? { PERSONAL_PHOTO: user.personal_photo } : {}),
      TIME_ZONE: user.time_zone,
    };
  },
});
