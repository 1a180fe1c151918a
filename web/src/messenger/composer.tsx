import { useEffect, useRef } from 'preact/hooks';
import type { MessengerStore } from './store.ts';

/**
 * The message field: Enter sends, Shift+Enter breaks the line, Esc clears the draft (or, when empty, goes back
 * to the list). Typing tells the server through im.dialog.writing, throttled by the store.
 */
export function Composer({ store, dialogId, back }: { store: MessengerStore; dialogId: string; back: () => void }) {
  const field = useRef<HTMLTextAreaElement>(null);
  const draft = store.drafts.get(dialogId) ?? '';

  useEffect(() => {
    field.current?.focus();
  }, [dialogId, store.draftPutAt]);

  const submit = async () => {
    const text = draft;
    if (!text.trim()) return;
    store.setDraft(dialogId, '');
    if (!(await store.send(dialogId, text))) store.setDraft(dialogId, text);
    field.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label for="composer-input" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={field}
        rows={1}
        placeholder="Write a message…"
        value={draft}
        onInput={(event) => {
          store.setDraft(dialogId, event.currentTarget.value);
          if (event.currentTarget.value.trim()) store.writing(dialogId);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            submit();
          } else if (event.key === 'Escape') {
            event.preventDefault();
            if (draft) store.setDraft(dialogId, '');
            else back();
          }
        }}
      />
      <button type="submit" class="primary send" disabled={!draft.trim()}>
        Send
      </button>
    </form>
  );
}
