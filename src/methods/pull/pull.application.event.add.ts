import { ApiError } from '../../wire/errors.ts';
import { defineMethod } from '../define.ts';
import { pullOf } from './pull-of.ts';
import { given, userIdList } from './pull-params.ts';

// b24restdocs pull-application-event-add.md: the allowed characters of COMMAND and MODULE_ID.
const COMMAND = /^[A-Za-z0-9_:|.-]+$/;
const MODULE_ID = /^[a-z0-9._]+$/;

/**
 * b24restdocs settings/interactivity/push-and-pull/pull-application-event-add.md: an application's event to its
 * shared channel, or (USER_ID) to those users' channels of the application. Checks run in the page's error order.
 */
export default defineMethod({
  name: 'pull.application.event.add',
  scope: 'pull',
  auth: 'application',
  authError: 'Get access to application config available only for application authorization.',
  params: {},
  async handler({ raw, caller }, services) {
    const pull = pullOf(services);
    let users: number[] | null = null;
    if (given(raw.USER_ID)) {
      users = userIdList(raw.USER_ID);
      if (!caller.isAdmin && users.some((id) => id !== caller.userId)) throw new ApiError('USER_ID_ACCESS_ERROR');
      users = [...new Set(users.filter((id) => id > 0))];
    }
    const moduleId = given(raw.MODULE_ID) ? raw.MODULE_ID : 'application';
    if (typeof moduleId !== 'string' || !MODULE_ID.test(moduleId)) throw new ApiError('MODULE_ID_ERROR');
    if (typeof raw.COMMAND !== 'string' || !COMMAND.test(raw.COMMAND)) throw new ApiError('COMMAND_ERROR');
    const params = given(raw.PARAMS) ? raw.PARAMS : {};
    if (typeof params !== 'object') throw new ApiError('PARAMS_ERROR');
    const command = { module_id: moduleId, command: raw.COMMAND, params: params as Record<string, unknown> };
    const appKey = caller.app!.clientId;
    if (users === null) await pull.toShared(appKey, command);
    else if (users.length > 0) await pull.toUsers(appKey, users, command);
    return true;
  },
});
