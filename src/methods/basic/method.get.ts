import { hasScope } from '../../domain/caller.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/common/system/method-get.md: `name` in lower case, as the platform keys its method
 * table, so `imbot.chat.sendTyping` is not found and `imbot.chat.sendtyping` is. No name → both false.
 */
export default defineMethod({
  name: 'method.get',
  scope: 'basic',
  params: {},
  async handler({ raw, caller }, { registry }) {
    const name = typeof raw.name === 'string' ? raw.name : '';
    const method = name && name === name.toLowerCase() ? registry.get(name) : undefined;
    return { isExisting: method !== undefined, isAvailable: method !== undefined && hasScope(caller, method.scope) };
  },
});
