import { hasScope } from '../../domain/caller.ts';
import { ApiError } from '../../wire/errors.ts';
import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { upperKeys } from '../../wire/params/nest.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/common/system/methods.md (deprecated): method names, lower-cased as the platform keys
 * them. `scope=X` → that scope's methods; `scope=` (present, empty) → the common (basic) ones; `full=true` → all;
 * no params → what the caller's scopes allow.
 */
export default defineMethod({
  name: 'methods',
  scope: 'basic',
  params: {},
  async handler({ raw, caller }, { registry }) {
    const query = upperKeys(raw);
    const { FULL } = bindParams({ FULL: p.bool().optional() }, query);
    const all = registry.all();
    let methods = all.filter((m) => hasScope(caller, m.scope));
    if (typeof query.SCOPE === 'string') {
      const scope = query.SCOPE.trim().toLowerCase() || 'basic';
      methods = all.filter((m) => [m.scope].flat().includes(scope));
    } else if (query.SCOPE !== undefined && query.SCOPE !== null) {
      throw new ApiError('INVALID_REQUEST', 'Parameter scope must be a string');
    } else if (FULL) {
      methods = all;
    }
    return methods.map((m) => m.name.toLowerCase());
  },
});
