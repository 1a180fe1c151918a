import { formatTime, language, t } from '../i18n/i18n.ts';

// Dates and times as the messenger shows them, in the UI's language.

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** The label of a day separator: "Today", "Yesterday", else the date (with the year when it is not this one). */
export function dayLabel(ms: number): string {
  const date = new Date(ms);
  const now = new Date();
  if (sameDay(date, now)) return t('messenger.today');
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(date, yesterday)) return t('messenger.yesterday');
  return date.toLocaleDateString(language(), {
    day: 'numeric',
    month: 'long',
    year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric',
  });
}

export const timeOfDay = (ms: number): string => formatTime(ms);

/** Time today, else the short date (the dialog list). */
export function shortTime(ms: number): string {
  if (!ms) return '';
  const date = new Date(ms);
  return sameDay(date, new Date())
    ? timeOfDay(ms)
    : date.toLocaleDateString(language(), { day: 'numeric', month: 'short' });
}
