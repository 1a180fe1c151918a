import { LANGUAGES, type Language, setLanguage, t, useLanguage } from './i18n.ts';

const NAMES: Record<Language, string> = { en: 'English', ru: 'Русский' };

/** EN / RU buttons; the pressed one is the current language, each named in its own language for screen readers. */
export function LanguageSwitch() {
  const current = useLanguage();
  return (
    <fieldset class="language-switch">
      <legend class="visually-hidden">{t('common.language')}</legend>
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === current}
          aria-label={NAMES[l]}
          title={NAMES[l]}
          onClick={() => setLanguage(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </fieldset>
  );
}
