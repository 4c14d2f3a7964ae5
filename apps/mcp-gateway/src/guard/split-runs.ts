/**
 * Encoded data split into short "words" ("Q29u ZmlkZW50 aWFs…", "4f8a 9c2e 1b7d…", "%41 %6E %61") escapes a
 * detector that looks at one word at a time. Here adjacent tokens are joined (whatever separates them:
 * spaces, dots, commas, quotes) and every window of them is judged by statistics that ordinary words do
 * not reach: base64 switches between upper case, lower case and digits at most characters and has few
 * vowels, where words, numbers and product codes switch rarely and carry vowels; hex split into words is a
 * run of hex-only tokens of which three or more mix digits and letters, or whose join decodes to text.
 */
export type SplitRule = 'base64' | 'hex' | 'percent_encoding';

export interface SplitRun {
  readonly rule: SplitRule;
  /** Canonical-text offsets. */
  readonly start: number;
  readonly end: number;
}

/** The joined window must be at least this long: as the single-word base64 and hex rules. */
const MIN_JOINED_CHARS = 24;
const MAX_WINDOW_CHARS = 256;
const MAX_DECODES_PER_START = 4;
const BASE64_MIN_SWITCH_RATE = 0.45;
const BASE64_MAX_VOWEL_RATE = 0.3;
/** Hex split into words: tokens that mix digits and the letters a–f ("6e", "4f8a"); years and words do not. */
const HEX_MIN_MIXED_TOKENS = 3;
/** …or whose join decodes to text (decodesToText): hex of ASCII is mostly digits ("61 6e 61 20 73 61 6c"). */
const TEXT_MIN_READABLE_RATE = 0.9;
const TEXT_MIN_LETTER_RATE = 0.5;
/** Base64 of random bytes (keys, ciphertext) does not decode to text; over a long run it keeps switching. */
const BASE64_RANDOM_MIN_CHARS = 48;
const BASE64_RANDOM_MIN_SWITCH_RATE = 0.55;

const TOKEN = /[A-Za-z0-9+/=%_-]+/g;
const VOWELS = new Set([...'aeiouAEIOU'].map((c) => c.charCodeAt(0)));
const enum Kind {
  Upper,
  Lower,
  Digit,
  Other,
}

interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function findSplitRuns(text: string): SplitRun[] {
  // Every rule here needs a digit (base64 and hex windows) or a '%': most natural queries end here.
  const percent = text.includes('%');
  if (!percent && !/\d/.test(text)) return [];
  const tokens: Token[] = [...text.matchAll(TOKEN)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
  if (tokens.length < 2) return [];
  return [...(percent ? percentRuns(tokens) : []), ...statisticalRuns(tokens)];
}

/** Three or more %XX triplets across two or more tokens that decode to text ("10% 20% 30% 40% earners" is prose). */
function percentRuns(tokens: readonly Token[]): SplitRun[] {
  const joined = tokens.map((t) => t.text).join('');
  const tokenAt: number[] = [];
  const offsetAt: number[] = [];
  tokens.forEach((token, i) => {
    for (let k = 0; k < token.text.length; k++) {
      tokenAt.push(i);
      offsetAt.push(token.start + k);
    }
  });
  const runs: SplitRun[] = [];
  for (const match of joined.matchAll(/(?:%[0-9A-Fa-f]{2}){3,}/g)) {
    const first = match.index!;
    const last = first + match[0].length - 1;
    if (tokenAt[first] === tokenAt[last] || !decodesToText(match[0], 'percent')) continue;
    runs.push({ rule: 'percent_encoding', start: offsetAt[first]!, end: offsetAt[last]! + 1 });
  }
  return runs;
}

function kindOf(code: number): Kind {
  if (code >= 65 && code <= 90) return Kind.Upper;
  if (code >= 97 && code <= 122) return Kind.Lower;
  if (code >= 48 && code <= 57) return Kind.Digit;
  return Kind.Other;
}

/** Windows of two or more whole tokens, scored in O(1) each from prefix sums. */
function statisticalRuns(tokens: readonly Token[]): SplitRun[] {
  const n = tokens.length;
  const prefix = { chars: [0], upper: [0], lower: [0], digit: [0], vowel: [0], switches: [0], nonHex: [0], hexMixed: [0] };
  const push = (key: keyof typeof prefix, value: number) => prefix[key].push(prefix[key].at(-1)! + value);
  tokens.forEach((token, i) => {
    let upper = 0, lower = 0, digit = 0, vowel = 0, switches = 0, nonHex = 0;
    for (let k = 0; k < token.text.length; k++) {
      const code = token.text.charCodeAt(k);
      const kind = kindOf(code);
      if (kind === Kind.Upper) upper++;
      else if (kind === Kind.Lower) lower++;
      else if (kind === Kind.Digit) digit++;
      if (VOWELS.has(code)) vowel++;
      if (!(kind === Kind.Digit || (code | 0x20) >= 0x61 && (code | 0x20) <= 0x66)) nonHex++;
      // A switch inside the token, or across the boundary from the previous token: the join is what is judged.
      const previous = k > 0 ? token.text.charCodeAt(k - 1) : i > 0 ? tokens[i - 1]!.text.charCodeAt(tokens[i - 1]!.text.length - 1) : undefined;
      if (previous !== undefined && kindOf(previous) !== kind) switches++;
    }
    push('chars', token.text.length);
    push('upper', upper);
    push('lower', lower);
    push('digit', digit);
    push('vowel', vowel);
    push('switches', switches);
    push('nonHex', nonHex);
    push('hexMixed', nonHex === 0 && digit > 0 && upper + lower > 0 ? 1 : 0);
  });
  const sum = (key: keyof typeof prefix, i: number, j: number) => prefix[key][j + 1]! - prefix[key][i]!;

  // Windows start and end on a token that is not a plain word, so that a word next to a payload is not
  // counted as part of it (and kept by `strip`); percent-encoded tokens are percentRuns' business.
  const edge = tokens.map((t) => !t.text.includes('%') && !isPlainWord(t.text));
  const flagged: Array<{ rule: SplitRule; i: number; j: number }> = [];
  for (let i = 0; i < n - 1; i++) {
    if (!edge[i]) continue;
    let last = i;
    while (last + 1 < n && !tokens[last + 1]!.text.includes('%') && sum('chars', i, last + 1) <= MAX_WINDOW_CHARS) last++;
    // Longest window first: the first that qualifies is the one reported. Decoding costs the window's length,
    // so only the few longest candidates are decoded (a payload is found from its first token all the same).
    let decodes = 0;
    let best: { rule: SplitRule; j: number } | undefined;
    for (let j = last; j > i && !best; j--) {
      const chars = sum('chars', i, j);
      if (chars < MIN_JOINED_CHARS) break;
      if (!edge[j]) continue;
      // Switches counted for token i include the boundary with token i-1, which is outside the window.
      const boundaryBefore = i > 0 && kindOf(tokens[i - 1]!.text.charCodeAt(tokens[i - 1]!.text.length - 1)) !== kindOf(tokens[i]!.text.charCodeAt(0)) ? 1 : 0;
      const switchRate = (sum('switches', i, j) - boundaryBefore) / (chars - 1);
      const upper = sum('upper', i, j);
      const lower = sum('lower', i, j);
      const digit = sum('digit', i, j);
      const decode = (encoding: 'hex' | 'base64') => decodes++ < MAX_DECODES_PER_START && decodesToText(joinTokens(tokens, i, j), encoding);
      if (sum('nonHex', i, j) === 0 && upper + lower > 0 && digit > 0) {
        if (sum('hexMixed', i, j) >= HEX_MIN_MIXED_TOKENS || decode('hex')) best = { rule: 'hex', j };
      } else if (upper > 0 && lower > 0 && digit > 0 && switchRate >= BASE64_MIN_SWITCH_RATE && sum('vowel', i, j) / chars < BASE64_MAX_VOWEL_RATE) {
        // Product codes and version strings reach these rates over a few words ("M3 Max 16-inch 48GB 1TB"); what
        // they do not do is decode to text, or keep switching over a long run as random bytes do.
        const long = chars >= BASE64_RANDOM_MIN_CHARS && switchRate >= BASE64_RANDOM_MIN_SWITCH_RATE;
        if (long || decode('base64')) best = { rule: 'base64', j };
      }
    }
    if (best) {
      flagged.push({ rule: best.rule, i, j: best.j });
      i = best.j - 1; // the run is found; the next window starts at its last token at the earliest
    }
  }
  return flagged.map(({ rule, i, j }) => ({ rule, start: tokens[i]!.start, end: tokens[j]!.end }));
}

/** "policy", "Policy", "NASA": a word a person typed, with a vowel, not a fragment. */
function isPlainWord(token: string): boolean {
  return token.length >= 3 && /^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(token) && /[aeiouyAEIOUY]/.test(token);
}

function joinTokens(tokens: readonly Token[], i: number, j: number): string {
  let joined = '';
  for (let k = i; k <= j; k++) joined += tokens[k]!.text;
  return joined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether encoded data decodes to text a person would write (in any script): valid UTF-8, nearly all of it
 * letters, digits, spaces and punctuation, at least half letters. What a model smuggles out is text it read.
 */
export function decodesToText(encoded: string, encoding: 'hex' | 'base64' | 'percent'): boolean {
  let bytes: Buffer;
  if (encoding === 'hex') {
    if (encoded.length % 2 !== 0) return false;
    bytes = Buffer.from(encoded, 'hex');
  } else if (encoding === 'percent') {
    bytes = Buffer.from((encoded.match(/%[0-9A-Fa-f]{2}/g) ?? []).map((t) => parseInt(t.slice(1), 16)));
  } else {
    bytes = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  }
  if (bytes.length < 3) return false;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return false;
  }
  const count = (pattern: RegExp) => text.match(pattern)?.length ?? 0;
  const characters = count(/[^]/gu);
  const readable = count(/[\p{L}\p{N}\p{P}\p{S}\p{Zs}\n\t]/gu);
  const letters = count(/\p{L}/gu);
  return readable / characters >= TEXT_MIN_READABLE_RATE && letters / characters >= TEXT_MIN_LETTER_RATE;
}
