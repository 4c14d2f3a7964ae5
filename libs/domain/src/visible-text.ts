/**
 * Characters a reader never sees but that change what a machine reads: zero-width spaces and joiners,
 * directional marks, embeddings and isolates (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+061C),
 * invisible operators (U+2060–U+2064), the BOM (U+FEFF), the soft hyphen (U+00AD), the Mongolian vowel
 * separator (U+180E), variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF), tag characters
 * (U+E0000–U+E007F), and C0/C1 control characters other than tab, newline, CR, VT and FF. They hide
 * instructions in documents (tags and variation selectors can spell out whole ASCII texts that a model
 * reads and a person does not see), reorder what a reader sees (bidi spoofing) and split words so that
 * search and inspection miss them.
 * One definition: text is cleaned of them (search's normalization), fields that must be exact refuse them.
 */
const INVISIBLE_SOURCE =
  '[\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFE00-\\uFE0F\\uFEFF' +
  '\\u0000-\\u0008\\u000E-\\u001F\\u007F-\\u009F\\u{E0000}-\\u{E007F}\\u{E0100}-\\u{E01EF}]';
// eslint-disable-next-line no-misleading-character-class -- the variation selectors are listed on purpose, to remove them
const INVISIBLE_GLOBAL = new RegExp(INVISIBLE_SOURCE, 'gu');
// eslint-disable-next-line no-misleading-character-class -- the variation selectors are listed on purpose, to remove them
const INVISIBLE_ONE = new RegExp(INVISIBLE_SOURCE, 'u');
// Control characters a text may keep (tab, newline, CR, VT, FF) must still never appear in a URL.
// eslint-disable-next-line no-misleading-character-class -- the variation selectors are listed on purpose, to remove them
const URL_FORBIDDEN = new RegExp(`${INVISIBLE_SOURCE}|[\\t\\n\\v\\f\\r]`, 'u');

/** The characters above removed. */
export function removeInvisibleCharacters(input: string): string {
  return input.replace(INVISIBLE_GLOBAL, '');
}

export function hasInvisibleCharacters(input: string): boolean {
  return INVISIBLE_ONE.test(input);
}

/**
 * Why a document `url` is refused, or undefined when it is acceptable: an absolute http(s) URL with a host,
 * at most `maxChars` long, with no control, bidi or zero-width character anywhere (the URL parser silently
 * drops tabs and newlines and would hide them; a bidi override makes the link read differently from where
 * it goes), and no white space.
 */
export function documentUrlProblem(value: unknown, maxChars: number): string | undefined {
  if (typeof value !== 'string') return 'must be an http(s) URL string';
  if (value.length > maxChars) return `must be an http(s) URL of at most ${maxChars} characters`;
  if (URL_FORBIDDEN.test(value)) return 'must be an http(s) URL without control, bidi or zero-width characters';
  if (/\s/u.test(value)) return 'must be an http(s) URL without white space (percent-encode it)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL (absolute, with a host)';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.hostname === '') return 'must be an http(s) URL (absolute, with a host)';
  return undefined;
}
