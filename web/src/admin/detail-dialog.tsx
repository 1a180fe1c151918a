import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/i18n.ts';

/**
 * A modal dialog (native `<dialog>`: focus stays inside, Escape closes, focus returns to the opener) for the details
 * of one inspector item or delivery.
 */
export function DetailDialog(props: { title: string; close: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} class="detail" aria-labelledby="detail-title" onClose={props.close}>
      <header>
        <h2 id="detail-title">{props.title}</h2>
        <button type="button" class="icon" aria-label={t('common.close')} onClick={() => ref.current?.close()}>
          ×
        </button>
      </header>
      {props.children}
    </dialog>
  );
}

/** A JSON value, indented, wrapped to the dialog's width. */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <figure class="json">
      <figcaption>{label}</figcaption>
      <pre>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
    </figure>
  );
}

/** Label–value pairs; pairs whose value is undefined or empty are left out. */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}
