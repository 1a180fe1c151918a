import { defineMethod } from '../define.ts';
import { pullOf } from './pull-of.ts';
import { isOn } from './pull-params.ts';

/**
 * The portal's own config method, which b24jssdk's PullClient calls when it is not given `restApplication`
 * (undocumented on b24restdocs). Any auth, webhooks included: the user's portal channels, which carry the
 * messenger's commands but no application's events.
 */
export default defineMethod({
  name: 'pull.config.get',
  scope: 'pull',
  params: {},
  async handler({ raw, caller }, services) {
    return pullOf(services).config({
      userId: caller.userId,
      appKey: '',
      cache: isOn(raw.CACHE),
      reopen: isOn(raw.REOPEN),
    });
  },
});
