import { canonicalQuery, originalSpan, type CanonicalQuery } from './canonical-query';
import { decodesToText, findSplitRuns } from './split-runs';

/**
 * Detects queries that smuggle data rather than ask for documents: the channel a prompt-injected model
 * would use to carry private data out through a later tool call (DESIGN §6). Rules are deliberately
 * conservative for natural language: ordinary questions, even long ones, pass.
 *
 * What is inspected is the query as it reads (canonicalQuery: invisible characters removed, tag characters
 * decoded, NFKD, accents dropped, look-alikes folded to ASCII, white space and quote marks unified), and
 * encoded runs are looked for across adjacent words as well as within one (findSplitRuns).
 */
export type GuardRule =
  | 'length'
  | 'base64'
  | 'hex'
  | 'percent_encoding'
  | 'json'
  | 'key_value'
  | 'url_with_query'
  | 'email'
  | 'phone'
  | 'card_number'
  | 'secret'
  | 'hidden_characters'
  | 'char_codes';

export type GuardMode = 'block' | 'strip' | 'allow';

/** A suspicious span of the query as the client sent it. */
export interface GuardFinding {
  readonly rule: GuardRule;
  readonly start: number;
  readonly end: number;
}

/** Invisible characters beyond a stray zero-width joiner or two: enough to spell data in binary. */
const MAX_HIDDEN_CHARACTERS = 7;

interface Detector {
  readonly rule: GuardRule;
  readonly pattern: RegExp;
  readonly accept?: (match: string) => boolean;
}

const DETECTORS: readonly Detector[] = [
  { rule: 'secret', pattern: /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?|-----BEGIN [A-Z ]+-----|\b(?:tsr|tsk|tsa)_[A-Za-z0-9_-]{20,}/g },
  { rule: 'url_with_query', pattern: /\bhttps?:\/\/[^\s?#]+\?[^\s#]*=[^\s#]*/gi },
  { rule: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // The bracketed spellings people use to hide an address from scrapers: "ana [at] acme (dot) example".
  { rule: 'email', pattern: /[A-Za-z0-9._%+-]+\s*[([{]\s*at\s*[)\]}]\s*[A-Za-z0-9-]+(?:\s*(?:\.|[([{]\s*dot\s*[)\]}])\s*[A-Za-z0-9-]+)+/gi },
  { rule: 'percent_encoding', pattern: /(?:%[0-9A-Fa-f]{2}){3,}/g },
  // Quote marks of every kind read as '"' here (canonicalQuery), so single-quoted and typographic JSON match too.
  // A whole object where there is one (so that `strip` removes all of it), else its telltale pieces.
  { rule: 'json', pattern: /\{[^{}]*?"[^"{}]{1,100}"\s*:[^{}]*\}?|[{[]\s*"[^"]{1,100}"\s*:|"\s*:\s*(?:"[^"]*"|\d+|true|false|null)\s*[,}]/g },
  { rule: 'key_value', pattern: /\b[A-Za-z_][\w.-]{0,40}\s*[=:]\s*[^\s&;,]+(?:\s*[&;,]\s*[A-Za-z_][\w.-]{0,40}\s*[=:]\s*[^\s&;,]+)+/g },
  // Groups of three or more digits, as cards are written ("4111 1111 1111 1111"), not lists of small numbers.
  { rule: 'card_number', pattern: /\b(?:\d[ -]?){13,19}\b/g, accept: (m) => luhnValid(m.replace(/\D/g, '')) && m.trim().split(/[ -]/).every((g) => g.length >= 3) },
  // Nine digits or more, as phone numbers have; a list of years ("2024 2025 2026") or of page numbers
  // ("14 105 109") has the shape of one and is not.
  {
    rule: 'phone',
    pattern: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}\b|\+\d{8,15}\b/g,
    accept: (m) => m.replace(/\D/g, '').length >= 9 && !/^(?:(?:19|20)\d\d[\s.-]?)+$/.test(m),
  },
  { rule: 'hex', pattern: /\b[0-9a-fA-F]{24,}\b/g, accept: (m) => /[0-9]/.test(m) && /[a-fA-F]/.test(m) },
  // Bytes written as escapes ("0x61 0x6e", "\x61\x6e", "&#x61;&#x6e;", "\u0061"): four or more that spell text
  // (register addresses such as "0x10 0x20 0x30 0x40" do not).
  { rule: 'hex', pattern: /(?:(?:\b0x|\\x|\\u00|&#x)[0-9A-Fa-f]{2};?[\s,;]*){4,}/gi, accept: (m) => decodesToText(escapedBytes(m), 'hex') },
  // Character codes in decimal ("97 110 97 32 115 …", "&#97;&#110;"): eight or more printable codes that spell
  // text, mostly lower-case letters (97–122) — scores and sizes in that range are rarely mostly above 96.
  {
    rule: 'char_codes',
    pattern: /(?:&#)?\b(?:3[2-9]|[4-9]\d|1[01]\d|12[0-6]);?(?:[\s,;]*(?:&#)?\b(?:3[2-9]|[4-9]\d|1[01]\d|12[0-6])\b;?){7,}/g,
    accept: (m) => {
      const codes = (m.match(/\d+/g) ?? []).map(Number);
      return codes.filter((c) => c >= 97 && c <= 122).length * 2 >= codes.length && decodesToText(Buffer.from(codes).toString('hex'), 'hex');
    },
  },
  { rule: 'base64', pattern: /[A-Za-z0-9+/_-]{24,}={0,2}/g, accept: looksEncoded },
];

/**
 * Finds every suspicious span, in the order of the rules above so that overlapping spans are reported once,
 * then encoded runs split across words, then hidden characters. Spans are of the query as sent.
 */
export function inspectQuery(query: string, maxLength: number): GuardFinding[] {
  if (query.length > maxLength) return [{ rule: 'length', start: 0, end: query.length }];
  const canonical = canonicalQuery(query);
  const text = canonical.text;
  const spans: Array<{ rule: GuardRule; start: number; end: number }> = [];
  const add = (rule: GuardRule, start: number, end: number) => {
    if (!spans.some((f) => start < f.end && end > f.start)) spans.push({ rule, start, end });
  };
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      if (detector.accept && !detector.accept(match[0])) continue;
      add(detector.rule, match.index!, match.index! + match[0].length);
    }
  }
  for (const run of mergeOverlapping(findSplitRuns(text))) {
    // A split run absorbs the pieces of it that a one-word rule caught ("6120 7361 6c65" as a phone number).
    for (let k = spans.length - 1; k >= 0; k--) if (spans[k]!.start >= run.start && spans[k]!.end <= run.end) spans.splice(k, 1);
    add(run.rule, run.start, run.end);
  }
  const findings = spans.map((span) => ({ rule: span.rule, ...originalSpan(canonical, query, span.start, span.end) }));
  findings.push(...hiddenCharacterFindings(canonical, query));
  return findings.sort((a, b) => a.start - b.start);
}

/** Each run of invisible characters, when there are more than a stray few. */
function hiddenCharacterFindings(canonical: CanonicalQuery, query: string): GuardFinding[] {
  if (canonical.hidden.length <= MAX_HIDDEN_CHARACTERS) return [];
  const findings: GuardFinding[] = [];
  for (const index of canonical.hidden) {
    const last = findings.at(-1);
    const width = query.codePointAt(index)! > 0xffff ? 2 : 1;
    if (last && last.end >= index) findings[findings.length - 1] = { ...last, end: index + width };
    else findings.push({ rule: 'hidden_characters', start: index, end: index + width });
  }
  return findings;
}

function mergeOverlapping<T extends { start: number; end: number; rule: string }>(runs: readonly T[]): T[] {
  const merged: T[] = [];
  for (const run of [...runs].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && run.start < last.end) merged[merged.length - 1] = { ...last, end: Math.max(last.end, run.end) };
    else merged.push(run);
  }
  return merged;
}

/** The query with every finding cut out, for the `strip` policy. */
export function stripFindings(query: string, findings: readonly GuardFinding[]): string {
  let result = '';
  let cursor = 0;
  for (const finding of findings) {
    if (finding.start > cursor) result += `${query.slice(cursor, finding.start)} `;
    cursor = Math.max(cursor, finding.end);
  }
  return (result + query.slice(cursor)).replace(/\s+/g, ' ').trim();
}

/** Encoded data mixes cases and digits and has few vowels; long words and compounds do not. */
function looksEncoded(run: string): boolean {
  const body = run.replace(/=+$/, '');
  // Hyphenated compounds of ordinary words ("Bradford-Zipf-Mandelbrot") are language, not data.
  if (body.split(/[-_+/]/).every((part) => /^[A-Z]?[a-z]*$|^[A-Z]+$/.test(part))) return false;
  const hasDigit = /\d/.test(body);
  const hasUpper = /[A-Z]/.test(body);
  const hasLower = /[a-z]/.test(body);
  const classes = Number(hasDigit) + Number(hasUpper) + Number(hasLower) + Number(/[+/_-]/.test(body));
  if (classes < 3) return false;
  const vowels = (body.match(/[aeiouAEIOU]/g) ?? []).length;
  return vowels / body.length < 0.3;
}

function luhnValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The hex digits of "0x61 0x6e", "\\x61\\x6e", "&#x61;" or "\\u0061" escapes, joined. */
function escapedBytes(escapes: string): string {
  return (escapes.match(/(?:0x|\\x|\\u00|&#x)([0-9A-Fa-f]{2})/gi) ?? []).map((e) => e.slice(-2)).join('');
}
