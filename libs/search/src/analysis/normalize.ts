/**
 * Characters a reader never sees but that change what a machine reads:
 * zero-width spaces/joiners, directional marks and embeddings (U+200B–U+200F,
 * U+202A–U+202E, U+2066–U+2069, U+061C), invisible operators (U+2060–U+2064),
 * the BOM (U+FEFF) and the soft hyphen (U+00AD). They are used to hide
 * instructions in documents and to split words so that search misses them.
 * C0/C1 control characters (other than tab, newline, CR, VT, FF) are invisible too.
 */
const INVISIBLE_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

// Horizontal whitespace left after NFKC (which already maps NBSP, en/em spaces,
// ideographic space, etc. to U+0020). The patterns only match where something
// changes, not every single space, which makes them several times faster.
const HORIZONTAL_WHITESPACE_RUN = /[ \t\v]*[\t\v][ \t\v]*| {2,}/g;
const SPACES_AROUND_NEWLINE = / \n ?|\n /g;
const THREE_OR_MORE_NEWLINES = /\n{3,}/g;

/**
 * Canonical form for all stored and indexed text: NFKC, invisible characters
 * removed, whitespace collapsed to single spaces, single line breaks kept and
 * paragraph breaks kept as exactly "\n\n".
 */
export function normalizeText(input: string): string {
  // Invisible characters go first so that NFKC can compose across them
  // (e.g. "e", U+200B, U+0301 → "é").
  const visible = input.replace(INVISIBLE_CHARACTERS, '');
  return visible
    .normalize('NFKC')
    .replace(/\r\n?|\u2028/g, '\n')
    .replace(/[\f\u2029]/g, '\n\n')
    .replace(HORIZONTAL_WHITESPACE_RUN, ' ')
    .replace(SPACES_AROUND_NEWLINE, '\n')
    .replace(THREE_OR_MORE_NEWLINES, '\n\n')
    .trim();
}
