import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { onConnectionChange } from '../connection.ts';
import { errorText } from '../i18n/error-text.ts';
import { t } from '../i18n/i18n.ts';

// The pieces every admin section is made of: loading, a titled section, tables, forms that post, copyable values.

/**
 * Loads a value (again whenever `load` changes and when the connection comes back), exposes `reload` for after a
 * change, and the last error.
 */
export function useLoad<T>(load: () => Promise<T>): { value: T | null; error: unknown; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    load().then(
      (v) => {
        setValue(v);
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  }, [load]);
  useEffect(reload, [reload]);
  useEffect(() => onConnectionChange((lost) => lost || reload()), [reload]);
  return { value, error, reload };
}

/** Runs `tick` every `ms` while `enabled` and the page is visible (live views). */
export function useEvery(ms: number, tick: () => void, enabled = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => document.hidden || latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms, enabled]);
}

/**
 * A section with its heading and the error of its last load; a lost connection is the shell's toast, not repeated
 * in every section (errorText is called at render time, so the message follows a language switch).
 */
export function Section(props: { id: string; title: string; children: ComponentChildren; error?: unknown }) {
  const error = props.error && !(props.error instanceof TypeError) ? errorText(props.error) : '';
  return (
    <section class="admin-section" aria-labelledby={`h-${props.id}`}>
      <h1 id={`h-${props.id}`}>{props.title}</h1>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {props.children}
    </section>
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  /** Heading read by screen readers only (an actions column). */
  hidden?: boolean;
  class?: string;
}

/**
 * A table on a wide screen; on a phone every row becomes a card whose cells are labelled with their column
 * (`data-label`, shown by the stylesheet without joining the cell's accessible name), so nothing scrolls sideways.
 */
export function Table<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  rowClass?: (row: T) => string;
  onRowClick?: (row: T) => void;
}) {
  return (
    <table class="cards">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c.label} scope="col">
              {c.hidden ? <span class="visually-hidden">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} class={props.rowClass?.(row)}>
            {props.columns.map((c) => (
              <td key={c.label} class={c.class} data-label={c.hidden ? undefined : c.label}>
                <div class="cell">{c.cell(row)}</div>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A form that posts, shows the error in place, and reports success to the caller. */
export function useSubmit<T>(run: () => Promise<T>, done: (result: T) => void) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      done(await run());
    } catch (e) {
      setFailure(e);
    }
    setBusy(false);
  };
  return { busy, error: failure ? errorText(failure) : '', onSubmit };
}

/** The error of a form, announced where it happened. */
export function FormError({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

/** A read-only value with a Copy button; `wide` shows all of it (URLs, a token just issued). */
export function CopyField({ label, value, wide = false }: { label: string; value: string; wide?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <span class={wide ? 'copy-field wide' : 'copy-field'}>
      <input
        readOnly
        value={value}
        aria-label={label}
        style={wide ? { width: `${value.length + 2}ch` } : undefined}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        onClick={() =>
          navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        {copied ? t('common.copied') : t('common.copy')}
      </button>
    </span>
  );
}
