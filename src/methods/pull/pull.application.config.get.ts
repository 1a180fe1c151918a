import { defineMethod } from '../define.ts';
import { pullOf } from './pull-of.ts';
import { isOn } from './pull-params.ts';

/**
 * b24restdocs settings/interactivity/push-and-pull/pull-application-config-get.md: the Push & Pull connection
 * config of the calling application for its user. Channels are per application (docs/decisions.md).
 */
export default defineMethod({
  name: 'pull.application.config.get',
  scope: 'pull',
  auth: 'application',
  authError: 'Get access to application config available only for application authorization.',
  params: {},
  async handler({ raw, caller }, services) {
    return pullOf(services).config({
      userId: caller.userId,
      appKey: caller.app!.clientId,
      cache: isOn(raw.CACHE),
      reopen: isOn(raw.REOPEN),
    });
  },
});
