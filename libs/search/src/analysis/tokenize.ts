/** Tokens longer than this are nearly always hashes, keys or encoded blobs, not words. */
export const MAX_TOKEN_LENGTH = 64;

/**
 * A maximal run of letters, combining marks and digits. Apostrophes, hyphens
 * and all other punctuation split words ("don't" → "don", "t").
 * Module-level with a manual lastIndex: tokenize is synchronous, never re-entered.
 */
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;

/** Base64, base64url and hex alphabet (after lowercasing) around a word run. */
const ENCODING_ALPHABET_RUN = /[a-z0-9+/_=-]+/y;
const ENCODING_SEPARATORS = /[+/_=-]+/;
const ENCODED_PIECE_AVERAGE_LENGTH = 16;

/**
 * Scripts written without spaces between words: a letter run in them is a
 * phrase or a whole sentence and must be split with a dictionary segmenter.
 */
const SPACELESS_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

// Built once: constructing a segmenter loads ICU dictionaries. The locale is
// fixed so that ingestion and query time segment identically on every host
// (ICU picks dictionaries by script, not by locale, for these scripts).
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * Splits text into lowercase tokens in reading order. Expects normalized text
 * (see normalizeText). Lowercasing is locale-independent, so every host
 * produces the same tokens. Encoded data (base64 blobs, long digests) yields
 * no tokens at all: it is not searchable language and would bloat the index.
 */
export function tokenize(text: string): string[] {
  const lowercase = text.toLowerCase();
  const tokens: string[] = [];
  const mayContainSpacelessScript = SPACELESS_SCRIPT.test(lowercase);
  // End of the last alphabet run already judged not encoded: keeps the check
  // linear on long hyphenated or slash-separated text.
  let checkedUpTo = -1;

  WORD_RUN.lastIndex = 0;
  for (let match = WORD_RUN.exec(lowercase); match !== null; match = WORD_RUN.exec(lowercase)) {
    const run = match[0];
    const runEnd = match.index + run.length;

    // Base64 falls apart at "+", "/", "-" into word-sized junk, so a run that
    // continues with one of them is looked at as a whole.
    if (match.index >= checkedUpTo && isEncodingSeparator(lowercase.charCodeAt(runEnd))) {
      const alphabetRunEnd = endOfAlphabetRun(lowercase, match.index);
      if (isEncodedRun(lowercase.slice(match.index, alphabetRunEnd))) {
        WORD_RUN.lastIndex = alphabetRunEnd;
        continue;
      }
      checkedUpTo = alphabetRunEnd;
    }

    if (mayContainSpacelessScript && SPACELESS_SCRIPT.test(run)) {
      pushSegmentedWords(run, tokens);
    } else if (run.length <= MAX_TOKEN_LENGTH) {
      tokens.push(run);
    }
  }
  return tokens;
}

function isEncodingSeparator(charCode: number): boolean {
  // + - / = _
  return charCode === 43 || charCode === 45 || charCode === 47 || charCode === 61 || charCode === 95;
}

function endOfAlphabetRun(text: string, start: number): number {
  ENCODING_ALPHABET_RUN.lastIndex = start;
  const match = ENCODING_ALPHABET_RUN.exec(text);
  return match === null ? start : start + match[0].length;
}

/**
 * Encoded data comes as long runs whose pieces between "+", "/", "-", "_", "="
 * are far longer than words; URL paths and hyphenated phrases have word-sized
 * pieces and keep their words.
 */
function isEncodedRun(run: string): boolean {
  if (run.length <= MAX_TOKEN_LENGTH) return false;
  const pieces = run.split(ENCODING_SEPARATORS).filter((piece) => piece.length > 0);
  const totalLength = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return totalLength / pieces.length >= ENCODED_PIECE_AVERAGE_LENGTH;
}

function pushSegmentedWords(run: string, tokens: string[]): void {
  for (const segment of wordSegmenter.segment(run)) {
    if (segment.isWordLike && segment.segment.length <= MAX_TOKEN_LENGTH) tokens.push(segment.segment);
  }
}
