import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.ts';
import type { Rest } from '../rest.ts';

/** Checkboxes for every scope the server knows (`scope` with `full=true`); none checked means every scope. */
export function ScopePicker({ rest, value, change }: { rest: Rest; value: string[]; change: (v: string[]) => void }) {
  const [known, setKnown] = useState<string[]>([]);
  useEffect(() => {
    rest.call<string[]>('scope', { full: true }).then(
      (s) => setKnown([...s].sort()),
      () => setKnown([]),
    );
  }, [rest]);
  return (
    <fieldset class="scopes">
      <legend>{t('admin.scopes.legend')}</legend>
      {known.map((scope) => (
        <label key={scope} class="check">
          <input
            type="checkbox"
            checked={value.includes(scope)}
            onChange={(e) => change(e.currentTarget.checked ? [...value, scope] : value.filter((s) => s !== scope))}
          />
          {scope}
        </label>
      ))}
    </fieldset>
  );
}
