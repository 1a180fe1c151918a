import { t } from './i18n/i18n.ts';

/** A message at the bottom of the screen, announced to screen readers; dismissable when `dismiss` is given. */
export function Toast({ text, dismiss }: { text: string; dismiss?: () => void }) {
  return (
    <div class="toast" role="alert">
      <span>{text}</span>
      {dismiss && (
        <button type="button" class="icon" aria-label={t('common.dismiss')} onClick={dismiss}>
          ×
        </button>
      )}
    </div>
  );
}
