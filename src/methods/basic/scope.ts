import { bindParams } from '../../wire/params/bind.ts';
import { p } from '../../wire/params/coerce.ts';
import { upperKeys } from '../../wire/params/nest.ts';
import { KNOWN_SCOPES } from '../../wire/scopes.ts';
import { defineMethod } from '../define.ts';

/**
 * b24restdocs api-reference/common/system/scope.md: the caller's scopes, or with `full=true` every scope the
 * server knows. `basic` is implicit and not listed. A webhook or app without a scope list has them all.
 */
export default defineMethod({
  name: 'scope',
  scope: 'basic',
  params: {},
  async handler({ raw, caller }, { registry }) {
    const { FULL } = bindParams({ FULL: p.bool().optional() }, upperKeys(raw));
    const known = new Set(KNOWN_SCOPES);
    for (const method of registry.all()) for (const s of [method.scope].flat()) known.add(s);
    known.delete('basic');
    if (FULL || caller.scopes === null) return [...known];
    return [...caller.scopes].filter((s) => s !== 'basic');
  },
});
