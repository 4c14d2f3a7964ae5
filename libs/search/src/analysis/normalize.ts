import { removeInvisibleCharacters } from '@tessera/domain';

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
  const visible = removeInvisibleCharacters(input);
  return visible
    .normalize('NFKC')
    .replace(/\r\n?|\u2028/g, '\n')
    .replace(/[\f\u2029]/g, '\n\n')
    .replace(HORIZONTAL_WHITESPACE_RUN, ' ')
    .replace(SPACES_AROUND_NEWLINE, '\n')
    .replace(THREE_OR_MORE_NEWLINES, '\n\n')
    .trim();
}
