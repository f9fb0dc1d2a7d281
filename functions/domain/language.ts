/**
 * The languages a council may offer residents, and the language a case is kept in.
 *
 * English is always offered. Welsh is offered by a council in Wales whose policy says so
 * (`languages: ["en", "cy"]`): the Welsh Language Standards (Welsh Language (Wales) Measure
 * 2011) expect such a council to answer a resident in the language they chose, in pages and
 * in letters, and to keep that choice for the rest of their contact.
 */

export const LANGUAGES = ['en', 'cy'] as const;
/** `en` English, `cy` Welsh (Cymraeg): ISO 639-1 codes, as `lang` attributes use them. */
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language a case's letters are written in: cases stored before languages existed read as English. */
export function caseLanguage(c: { language?: Language | undefined }): Language {
  return c.language ?? 'en';
}

/** The BCP 47 tag for `lang` attributes and PDF metadata. */
export function languageTag(language: Language): 'en-GB' | 'cy' {
  return language === 'cy' ? 'cy' : 'en-GB';
}
