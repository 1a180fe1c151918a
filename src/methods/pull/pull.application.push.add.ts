import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { pullOf } from './pull-of.ts';
import { given, userIdList } from './pull-params.ts';

/**
 * b24restdocs settings/interactivity/push-and-pull/pull-application-push-add.md: a mobile push, admins only. There
 * are no mobile devices here: the push becomes a `pull` / `mobile_push` command on each user's channels, which the
 * official clients ignore and the UI and tests can watch (docs/decisions.md).
 */
export default defineMethod({
  name: 'pull.application.push.add',
  scope: 'pull',
  auth: 'application',
  authError: 'Send push notifications available only for application authorization.',
  params: {},
  async handler({ raw, caller }, services) {
    pullOf(services);
    if (!caller.isAdmin) {
      // The page gives this code its own text and status 400 (the catalog's ACCESS_ERROR is the messenger's 403).
      throw new ApiError('ACCESS_ERROR', 'You do not have access to send push notifications', 400);
    }
    const text = typeof raw.TEXT === 'number' ? String(raw.TEXT) : raw.TEXT;
    if (typeof text !== 'string' || text.trim() === '') throw new ApiError('TEXT_ERROR');
    const app = await services.domain.identities.appById(caller.app!.id);
    if (!app?.title.trim()) throw new ApiError('EMPTY_APP_NAME');
    const users = given(raw.USER_ID) ? [...new Set(userIdList(raw.USER_ID).filter((id) => id > 0))] : [];
    if (users.length === 0) throw new ApiError('USER_ID_EMPTY');
    const avatar = typeof raw.AVATAR === 'string' ? raw.AVATAR : '';
    services.hub.publish(
      { users },
      {
        module_id: 'pull',
        command: 'mobile_push',
        params: { text, avatar, app: { client_id: app.client_id, title: app.title } },
      },
    );
    return true;
  },
});
