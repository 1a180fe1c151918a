import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

// The pieces every admin section is made of: loading, a titled section, forms that post, copyable values.

/** Loads a value (again whenever `load` changes), exposes `reload` for after a change, and the last error. */
export function useLoad<T>(load: () => Promise<T>): { value: T | null; error: string; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    load().then(
      (v) => {
        setValue(v);
        setError('');
      },
      (e: Error) => setError(e.message),
    );
  }, [load]);
  useEffect(reload, [reload]);
  return { value, error, reload };
}

export function Section(props: { title: string; children: ComponentChildren; error?: string }) {
  return (
    <section class="admin-section" aria-labelledby={`h-${props.title}`}>
      <h1 id={`h-${props.title}`}>{props.title}</h1>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      {props.children}
    </section>
  );
}

/** A form that posts, shows the error in place, and reports success to the caller. */
export function useSubmit<T>(run: () => Promise<T>, done: (result: T) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      done(await run());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    setBusy(false);
  };
  return { busy, error, onSubmit };
}

/** A read-only value with a Copy button; `wide` shows all of it (URLs, a token just issued). */
export function CopyField({ label, value, wide = false }: { label: string; value: string; wide?: boolean }) {
  const [copied, setCopied] = useState(false);
  return (
    <span class="copy-field">
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
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}

export const when = (value: string | Date) => new Date(value).toLocaleString();
