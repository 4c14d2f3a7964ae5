/**
 * Detects queries that smuggle data rather than ask for documents: the channel a prompt-injected model
 * would use to carry private data out through a later tool call (DESIGN §6). Rules are deliberately
 * conservative for natural language: ordinary questions, even long ones, pass.
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
  | 'secret';

export type GuardMode = 'block' | 'strip' | 'allow';

export interface GuardFinding {
  readonly rule: GuardRule;
  readonly start: number;
  readonly end: number;
}

interface Detector {
  readonly rule: GuardRule;
  readonly pattern: RegExp;
  readonly accept?: (match: string) => boolean;
}

const DETECTORS: readonly Detector[] = [
  { rule: 'secret', pattern: /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?|-----BEGIN [A-Z ]+-----|\b(?:tsr|tsk|tsa)_[A-Za-z0-9_-]{20,}/g },
  { rule: 'url_with_query', pattern: /\bhttps?:\/\/[^\s?#]+\?[^\s#]*=[^\s#]*/gi },
  { rule: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { rule: 'percent_encoding', pattern: /(?:%[0-9A-Fa-f]{2}){3,}/g },
  { rule: 'json', pattern: /[{[]\s*"[^"]{1,100}"\s*:|"\s*:\s*(?:"[^"]*"|\d+|true|false|null)\s*[,}]/g },
  { rule: 'key_value', pattern: /\b[A-Za-z_][\w.-]{0,40}\s*[=:]\s*[^\s&;,]+(?:\s*[&;,]\s*[A-Za-z_][\w.-]{0,40}\s*[=:]\s*[^\s&;,]+)+/g },
  { rule: 'card_number', pattern: /\b(?:\d[ -]?){13,19}\b/g, accept: (m) => luhnValid(m.replace(/\D/g, '')) },
  { rule: 'phone', pattern: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]\d{3,4}\b|\+\d{8,15}\b/g },
  { rule: 'hex', pattern: /\b[0-9a-fA-F]{24,}\b/g, accept: (m) => /[0-9]/.test(m) && /[a-fA-F]/.test(m) },
  { rule: 'base64', pattern: /[A-Za-z0-9+/_-]{24,}={0,2}/g, accept: looksEncoded },
];

/** Finds every suspicious span, longest rules first so overlapping spans are reported once. */
export function inspectQuery(query: string, maxLength: number): GuardFinding[] {
  if (query.length > maxLength) return [{ rule: 'length', start: 0, end: query.length }];
  const findings: GuardFinding[] = [];
  for (const detector of DETECTORS) {
    for (const match of query.matchAll(detector.pattern)) {
      const start = match.index!;
      const end = start + match[0].length;
      if (detector.accept && !detector.accept(match[0])) continue;
      if (findings.some((f) => start < f.end && end > f.start)) continue;
      findings.push({ rule: detector.rule, start, end });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** The query with every finding cut out, for the `strip` policy. */
export function stripFindings(query: string, findings: readonly GuardFinding[]): string {
  let result = '';
  let cursor = 0;
  for (const finding of findings) {
    result += `${query.slice(cursor, finding.start)} `;
    cursor = finding.end;
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
