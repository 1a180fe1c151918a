import { atom } from '../../wire/envelope.ts';
import { defineMethod } from '../define.ts';

/** b24restdocs api-reference/common/system/server-time.md */
export default defineMethod({
  name: 'server.time',
  scope: 'basic',
  params: {},
  async handler(_call, { clock }) {
    return atom(clock.now());
  },
});
