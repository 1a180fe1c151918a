import { defineMethod } from '../define.ts';

/**
 * b24restdocs chat-bots-v2/imbot.v2/revision-get.md: no parameters, no botId or botToken. `rest` is the newest
 * revision of the change log that b24-local implements (36, change-log.md); the client protocol revisions are
 * those of the page's example (docs/decisions.md).
 */
export default defineMethod({
  name: 'imbot.v2.Revision.get',
  scope: 'imbot',
  params: {},
  async handler() {
    return { rest: 36, web: 130, mobile: 23, desktop: 6 };
  },
});
