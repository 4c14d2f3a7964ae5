import { hasInvisibleCharacters } from '@tessera/domain';
import { foldCharacter } from '@tessera/search';

/**
 * The query as the guard inspects it, with a map back to the text the client sent. A reader (or a model)
 * decoding "ＱＵＪＤ", "QUJ\u200BD" or "QUЈD" (Cyrillic Ј) gets "QUJD", so the guard does too:
 * - invisible characters (zero-width, bidi, variation selectors, controls …) are removed and counted;
 *   Unicode tag characters (U+E0020–U+E007E, invisible ASCII look-alikes) are read as the ASCII they encode;
 * - every other character is folded (NFKD, accents dropped, look-alikes to ASCII; see foldCharacter);
 * - every kind of white space becomes one space, and every quote mark (', ", `, ‘ ’ “ ” ＂ …) one '"',
 *   so that JSON written with single or typographic quotes reads as JSON.
 */
export interface CanonicalQuery {
  readonly text: string;
  /** For each UTF-16 unit of `text`, the index in the original query of the character it came from. */
  readonly origin: readonly number[];
  /** Where the invisible characters were, in the original query. */
  readonly hidden: readonly number[];
}

const TAG_FIRST = 0xe0020;
const TAG_LAST = 0xe007e;
const ASCII_QUOTES = new Set([0x22, 0x27, 0x60]);
const WHITE_SPACE = /^\s$/u;
const QUOTE = /^["'`´\u2018-\u201F\u2032-\u2037\u00AB\u00BB\u2039\u203A\u275B-\u275E\u301D-\u301F\uFF02\uFF07]$/u;

/** Printable ASCII without quote marks or doubled spaces is its own canonical form (most queries). */
function alreadyCanonical(query: string): boolean {
  for (let i = 0; i < query.length; i++) {
    const code = query.charCodeAt(i);
    if (code < 0x20 || code >= 0x7f || ASCII_QUOTES.has(code) || (code === 0x20 && query.charCodeAt(i + 1) === 0x20)) return false;
  }
  return true;
}

export function canonicalQuery(query: string): CanonicalQuery {
  if (alreadyCanonical(query)) {
    const origin = new Array<number>(query.length);
    for (let i = 0; i < query.length; i++) origin[i] = i;
    return { text: query, origin, hidden: [] };
  }
  let text = '';
  const origin: number[] = [];
  const hidden: number[] = [];
  let index = 0;
  const emit = (value: string, from: number) => {
    for (const unit of value) {
      const normalized = WHITE_SPACE.test(unit) ? ' ' : QUOTE.test(unit) ? '"' : unit;
      // Runs collapse to one: "a  b" and the doubled quotes a fold may produce ('' for ") read as one.
      if ((normalized === ' ' || normalized === '"') && text.endsWith(normalized)) continue;
      text += normalized;
      for (let i = 0; i < normalized.length; i++) origin.push(from);
    }
  };
  for (const character of query) {
    const codePoint = character.codePointAt(0)!;
    if (codePoint >= TAG_FIRST && codePoint <= TAG_LAST) {
      hidden.push(index);
      emit(String.fromCharCode(codePoint - 0xe0000), index);
    } else if (hasInvisibleCharacters(character)) {
      hidden.push(index);
    } else if (codePoint >= 0x20 && codePoint < 0x7f && !ASCII_QUOTES.has(codePoint)) {
      // The common case, kept cheap: a printable ASCII character that is neither a quote nor white space.
      if (codePoint !== 0x20 || !text.endsWith(' ')) {
        text += character;
        origin.push(index);
      }
    } else {
      emit(codePoint < 0x80 ? character : foldCharacter(character), index);
    }
    index += character.length;
  }
  return { text, origin, hidden };
}

/** The span of the original query that canonical units [start, end) came from. */
export function originalSpan(canonical: CanonicalQuery, query: string, start: number, end: number): { start: number; end: number } {
  const from = canonical.origin[start] ?? query.length;
  const last = canonical.origin[end - 1] ?? from;
  const lastCodePoint = query.codePointAt(last);
  return { start: from, end: last + (lastCodePoint !== undefined && lastCodePoint > 0xffff ? 2 : 1) };
}
