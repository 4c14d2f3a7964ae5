import { DOCUMENT_LIMITS, documentUrlProblem } from '@tessera/domain';
import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parsers. Throwing InvalidArgumentError makes commander
 * report "option '--x <n>' argument 'y' is invalid. <reason>", which run()
 * turns into exit code 2.
 */

export function positiveInteger(max: number): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value.trim())) {
      throw new InvalidArgumentError('Expected a positive whole number.');
    }
    const parsed = Number(value.trim());
    if (parsed < 1 || parsed > max) {
      throw new InvalidArgumentError(`Expected a number between 1 and ${max}.`);
    }
    return parsed;
  };
}

/** "a, b,,c" → ["a", "b", "c"]; an empty list is almost certainly a typo, so reject it. */
export function commaSeparatedList(value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) {
    throw new InvalidArgumentError('Expected a comma-separated list such as "a,b".');
  }
  return [...new Set(items)];
}

export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('Expected an absolute http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('Expected an http:// or https:// URL.');
  }
  return value;
}

/** `--url-base`: the server's rule for document URLs, so a bad base fails here rather than on every document. */
export function documentUrlBase(value: string): string {
  const problem = documentUrlProblem(value, DOCUMENT_LIMITS.urlChars);
  if (problem) throw new InvalidArgumentError(`${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  return value;
}

export function nonEmptyString(value: string): string {
  if (value.trim().length === 0) {
    throw new InvalidArgumentError('Must not be empty.');
  }
  return value.trim();
}
