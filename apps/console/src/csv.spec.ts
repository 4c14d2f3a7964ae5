import { describe, expect, it } from '@jest/globals';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes every field, doubles quotes and separates rows with CRLF', () => {
    expect(toCsv([['a', 'say "hi"'], [1, null, undefined, 'x,y\nz']])).toBe('"a","say ""hi"""\r\n"1","","","x,y\nz"');
  });

  it('keeps a spreadsheet from reading a field as a formula', () => {
    expect(toCsv([['=HYPERLINK("http://evil.example")', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']])).toBe(
      `"'=HYPERLINK(""http://evil.example"")","'+1","'-1","'@SUM(A1)","'\t=1","'\r=1"`,
    );
    expect(toCsv([['2026-12-08T00:00:00Z', 'ana@acme.example', '{"a":1}']])).toBe('"2026-12-08T00:00:00Z","ana@acme.example","{""a"":1}"');
  });
});
