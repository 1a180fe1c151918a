import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// The UI's two catalogs (web/src/i18n/*.json) must say the same things: every English text has its Russian one
// with the same placeholders, and plurals carry every form the language's rules ask for (Intl.PluralRules).
// A gender context (`_female`, i18next's context suffix) is a variant of its key that only one language may need:
// Russian verbs agree with the actor, English ones do not.

type Catalog = { [key: string]: string | Catalog };
const read = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../../web/src/i18n/${lang}.json`, import.meta.url), 'utf8')) as Catalog;

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const CONTEXT = /_(male|female)$/;

/** key → text, with plural forms grouped under their base key. */
function texts(lang: string): Map<string, Map<string, string>> {
  const grouped = new Map<string, Map<string, string>>();
  for (const [key, text] of flatten(read(lang))) {
    const form = PLURAL.exec(key)?.[1] ?? CONTEXT.exec(key)?.[1] ?? '';
    const base = form ? key.slice(0, -form.length - 1) : key;
    if (!grouped.has(base)) grouped.set(base, new Map());
    grouped.get(base)!.set(form, text);
  }
  return grouped;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('web UI catalogs', () => {
  const en = texts('en');
  const ru = texts('ru');

  it('have the same keys', () => {
    assert.deepEqual([...ru.keys()].sort(), [...en.keys()].sort());
  });

  it('give every plural form the language needs, and no text is empty', () => {
    for (const [lang, catalog] of [
      ['en', en],
      ['ru', ru],
    ] as const) {
      const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.sort();
      for (const [key, variants] of catalog) {
        if (!variants.has('')) assert.deepEqual([...variants.keys()].sort(), forms, `${lang} ${key}`);
        for (const text of variants.values()) assert.ok(text.trim(), `${lang} ${key} is empty`);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, variants] of en) {
      const expected = placeholders([...variants.values()][0]);
      for (const text of ru.get(key)!.values()) assert.deepEqual(placeholders(text), expected, key);
    }
  });
});
