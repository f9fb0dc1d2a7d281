/**
 * The checks every field of typed text gets, wherever it is typed: the resident's form, the
 * corrections staff make to it, officers' replies and decisions, staff notes and reasons. Kept
 * apart from the form's schemas so the pages that only check a note load no schema library.
 */

/**
 * Characters nobody types: C0/C1 controls (tab and line breaks only where a field has
 * several lines), Unicode's line and paragraph separators (which end a right-to-left run where
 * nothing shows a break, and which letters do not break at), half of a character written as two
 * UTF-16 units (an emoji) without its other half, which only a JSON post can send and no UTF-8
 * (the table's, an email's, a letter's) can hold, and the bidi embeddings, overrides and isolates
 * that make text read differently from what it is ("Trojan Source"). Left-to-right and
 * right-to-left marks stay: Arabic and Hebrew names need them.
 */
const CONTROL = /[\p{Cc}\p{Cs}\u2028\u2029]/u;
const LINE_BREAK_OR_TAB = /[\t\n\r]/gu;
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * Spaces and the characters that show nothing on their own: Unicode's default ignorables (zero-width
 * characters, soft hyphen, direction marks, variation selectors, tag characters, Hangul fillers)
 * and the Braille blank.
 */
const INVISIBLE = /[\s\p{Default_Ignorable_Code_Point}\u2800]/gu;

/**
 * A one-line field's value with each run of tabs as one space. A tab cannot be typed into a
 * one-line field, only pasted (a name or an address copied from a spreadsheet's cells), and it
 * shows as a space: taken as one, it is not refused as a hidden control.
 */
export function tabsAsSpaces(value: string): string {
  return value.replace(/\t+/g, ' ');
}

/** True when the text shows nothing at all: empty, or only spaces and zero-width characters. */
export function looksEmpty(value: string): boolean {
  return value.replace(INVISIBLE, '') === '';
}

/** The problem with typed text, if any: hidden controls, direction overrides. */
function hiddenCharacterProblem(value: string, what: string, multiline: boolean): string | undefined {
  const allowed = multiline ? value.replace(LINE_BREAK_OR_TAB, '') : value;
  if (CONTROL.test(allowed) || BIDI_OVERRIDE.test(value)) {
    return `${what} must not include hidden control or text-direction characters: type it again rather than pasting it`;
  }
  return undefined;
}

/**
 * The problem with a field of free text, if any: hidden controls or direction overrides, or only
 * invisible characters. The one rule for the resident's form, for staff who correct what it
 * recorded (`rectification.ts`), so a correction cannot put back what the form keeps out, and for
 * whatever else staff type that a page, letter or file shows again.
 */
export function textProblem(value: string, what: string, multiline: boolean): string | undefined {
  const problem = hiddenCharacterProblem(value, what, multiline);
  if (problem) return problem;
  if (value !== '' && looksEmpty(value)) return `${what} looks empty: it has only invisible characters`;
  return undefined;
}

/**
 * A telephone number as people write one: digits, spaces, brackets and dashes after an optional
 * `+`, with at least seven digits (the shortest UK number without its area code), so a run of
 * dashes or brackets is not taken for a way to reach someone. The resident's form, the staff's
 * corrections and subject access requests share it.
 */
export function isPhoneNumber(value: string): boolean {
  return /^\+?[0-9 ()-]{7,20}$/.test(value) && (value.match(/[0-9]/g)?.length ?? 0) >= 7;
}
