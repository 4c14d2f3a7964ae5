/**
 * Text PostgreSQL cannot store, and that no honest client sends: the NUL character (text and jsonb
 * refuse it) and unpaired UTF-16 surrogates (not Unicode at all; jsonb refuses their `\uD800` escapes,
 * and a driver encodes them as U+FFFD, so what is stored is not what was sent). One rule for the whole
 * platform: the HTTP edge refuses such input, and what is recorded anyway (audit events) is made storable.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this finds
const UNSAFE_CHARACTER = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CHARACTER.source, 'g');

/** What is wrong with a string, in words a caller can act on; undefined when nothing is. */
export function unsafeTextProblem(text: string): string | undefined {
  const found = UNSAFE_CHARACTER.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'contains a NUL character' : 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
}

/** The first unsafe string in a JSON-like value (keys included), with where it was; undefined when none. */
export function findUnsafeText(value: unknown, path = '', depth = 0): { path: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = unsafeTextProblem(value);
    return problem ? { path, problem } : undefined;
  }
  if (depth > 64 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = unsafeTextProblem(key);
    if (keyProblem) return { path: path || 'a key', problem: keyProblem };
    const found = findUnsafeText(item, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The string with every NUL and unpaired surrogate replaced by U+FFFD (the Unicode replacement character). */
export function storableText(text: string): string {
  return UNSAFE_CHARACTER.test(text) ? text.replace(UNSAFE_CHARACTERS, '\uFFFD') : text;
}

/** A JSON-like value with storableText applied to every string in it, keys included (a copy; the input is untouched). */
export function storableValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => storableValue(item, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[storableText(key)] = storableValue(item, depth + 1);
  return copy as T;
}
