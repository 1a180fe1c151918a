import i18next from 'i18next';
import { useEffect, useState } from 'preact/hooks';
import en from './en.json';
import ru from './ru.json';

// The one place the UI gets its words and date formats from: `t('admin.users.title')` reads the catalog of the
// current language (web/src/i18n/en.json, ru.json); `useLanguage()` re-renders a component when it changes.

export const LANGUAGES = ['en', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'b24-local.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
  }
}

/** The saved choice, else the first of the browser's languages we have (`ru-RU` counts as `ru`), else English. */
export function detectLanguage(saved: string | null, preferred: readonly string[]): Language {
  const known = (tag: string | null) => LANGUAGES.find((l) => l === tag?.toLowerCase().split('-')[0]);
  if (known(saved)) return known(saved)!;
  for (const tag of preferred) if (known(tag)) return known(tag)!;
  return 'en';
}

function savedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

i18next.init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: detectLanguage(savedLanguage(), navigator.languages ?? [navigator.language]),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  // Preact escapes text itself; i18next escaping on top would show `&amp;`.
  interpolation: { escapeValue: false },
  initAsync: false,
});
document.documentElement.lang = i18next.language;

export const t = i18next.t.bind(i18next);

export function language(): Language {
  return i18next.language as Language;
}

/** Switches the UI's language and remembers it for the next visit. */
export function setLanguage(next: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode without storage: the choice lasts until reload
  }
  void i18next.changeLanguage(next);
  document.documentElement.lang = next;
}

/** The current language; the calling component renders again when it changes. */
export function useLanguage(): Language {
  const [current, setCurrent] = useState(language());
  useEffect(() => {
    const follow = (next: string) => setCurrent(next as Language);
    i18next.on('languageChanged', follow);
    return () => i18next.off('languageChanged', follow);
  }, []);
  return current;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(options: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const id = `${language()}:${key}`;
  let formatter = formats.get(id);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language(), options);
    formats.set(id, formatter);
  }
  return formatter;
}

/** A date and time in the UI's language (`2 Dec 2026, 14:05` / `2 дек. 2026 г., 14:05`). */
export const formatDateTime = (value: string | number | Date) =>
  format({ dateStyle: 'medium', timeStyle: 'short' }, 'datetime').format(new Date(value));

/** A date alone (`2 December 2026` / `2 декабря 2026 г.`). */
export const formatDate = (value: string | number | Date) =>
  format({ dateStyle: 'long' }, 'date').format(new Date(value));

/** A time of day (`14:05`). */
export const formatTime = (value: string | number | Date) =>
  format({ timeStyle: 'short' }, 'time').format(new Date(value));

/** A time of day with seconds, for logs (`14:05:09`). */
export const formatClock = (value: string | number | Date) =>
  format({ timeStyle: 'medium' }, 'clock').format(new Date(value));
