import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { inspectQuery, stripFindings } from './query-guard';

const rules = (query: string): string[] => [...new Set(inspectQuery(query, 4096).map((f) => f.rule))];

const base64 = Buffer.from('Confidential salary data for Ana Costa: 120000 EUR').toString('base64');
const hex = Buffer.from('ana salary 120000 eur').toString('hex');
const percent = [...'ana salary'].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
const bytes = [...Buffer.from('ana salary 120000')];
const randomBase64 = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 97 + 13) % 256)).toString('base64');
const fullwidth = (s: string) => [...s].map((c) => (c === ' ' ? '\u3000' : String.fromCodePoint(c.codePointAt(0)! + 0xfee0))).join('');
const words = (s: string, size: number, separator = ' ') => s.match(new RegExp(`.{1,${size}}`, 'g'))!.join(separator);
const tagCharacters = (s: string) => [...s].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
const zeroWidthBits = (s: string) =>
  [...Buffer.from(s)].map((b) => b.toString(2).padStart(8, '0').replace(/0/g, '\u200B').replace(/1/g, '\u200C')).join('');

describe('query guard: evasions of each rule', () => {
  const evasions: Array<[string, string, string]> = [
    ['fullwidth base64', `laptop ${fullwidth(base64)}`, 'base64'],
    ['base64 with Cyrillic а and о', `laptop ${base64.replace(/a/g, 'а').replace(/o/g, 'о')}`, 'base64'],
    ['base64 with zero-width spaces between characters', `laptop ${[...base64].join('\u200B')}`, 'base64'],
    ['base64 in words of 1', words(base64, 1), 'base64'],
    ['base64 in words of 2', words(base64, 2), 'base64'],
    ['base64 in words of 4 after a word', `policy ${words(base64, 4)}`, 'base64'],
    ['base64 in words of 6', words(base64, 6), 'base64'],
    ['base64 in words of 8 between words', `salary bands ${words(base64, 8)} engineers`, 'base64'],
    ['base64 split by dots', words(base64, 5, '.'), 'base64'],
    ['base64 split by commas', words(base64, 7, ', '), 'base64'],
    ['base64url in words of 4', words(Buffer.from('ana salary 120k eur data').toString('base64url'), 4), 'base64'],
    ['base64 of Cyrillic text in words', words(Buffer.from('Зарплата Анны 120000 рублей').toString('base64'), 5), 'base64'],
    ['base64 of random bytes in words', words(randomBase64, 6), 'base64'],
    ['hex in words of 2', words(hex, 2), 'hex'],
    ['hex in words of 4 after a word', `policy ${words(hex, 4)}`, 'hex'],
    ['hex split by colons', words(hex, 2, ':'), 'hex'],
    ['random hex in words of 4', `policy ${words('4f8a9c2e1b7d6a3f9e8d7c6b5a4f3e2d', 4)}`, 'hex'],
    ['percent-encoding in words', `find ${words(percent, 3)}`, 'percent_encoding'],
    ['fullwidth percent-encoding', fullwidth(percent), 'percent_encoding'],
    ['JSON with single quotes', "{'name': 'Ana', 'salary': 120000}", 'json'],
    ['JSON with typographic quotes', '{“name”: “Ana”, “salary”: 120000}', 'json'],
    ['fullwidth JSON', fullwidth('{"name":"Ana","salary":120000}'), 'json'],
    ['a Python dict', "data {'ssn': '123-45-6789'}", 'json'],
    ['fullwidth email', fullwidth('ana.costa@acme.example'), 'email'],
    ['email with Cyrillic letters', 'contact аna.cоsta@аcme.example', 'email'],
    ['email with zero-width characters', 'ana\u200B.costa@\u200Dacme.example', 'email'],
    ['URL with Cyrillic р in https', 'see httрs://attacker.example/c?d=ana-salary', 'url_with_query'],
    ['fullwidth URL', fullwidth('https://attacker.example/c?d=1'), 'url_with_query'],
    ['fullwidth secret', fullwidth('sk-proj-abcdefghijklmnopqrstuvwx'), 'secret'],
    ['card number joined by zero-width spaces', '4111\u200B1111\u200B1111\u200B1111', 'card_number'],
    ['bytes as 0x escapes', bytes.map((b) => `0x${b.toString(16)}`).join(' '), 'hex'],
    ['bytes as \\x escapes', bytes.map((b) => `\\x${b.toString(16)}`).join(''), 'hex'],
    ['bytes as HTML hex entities', bytes.map((b) => `&#x${b.toString(16)};`).join(''), 'hex'],
    ['bytes as \\u escapes', bytes.map((b) => `\\u00${b.toString(16)}`).join(''), 'hex'],
    ['character codes in decimal, comma-separated', bytes.join(','), 'char_codes'],
    ['character codes as HTML decimal entities', bytes.map((b) => `&#${b};`).join(''), 'char_codes'],
    ['email written with [at] and [dot]', 'contact ana.costa [at] acme [dot] example', 'email'],
    ['email written with (at) and (dot)', 'ana (at) acme (dot) example', 'email'],
    ['text in Unicode tag characters', `laptop policy${tagCharacters('salary of Ana is 120000')}`, 'hidden_characters'],
    ['data in zero-width bits', `laptop${zeroWidthBits('salary 120k')}`, 'hidden_characters'],
  ];
  for (const [name, query, rule] of evasions) {
    it(`catches ${name}`, () => assert.ok(rules(query).includes(rule), `${JSON.stringify(query)} → ${rules(query)}`));
  }

  it('reads what tag characters spell: the hidden text is inspected like visible text', () => {
    assert.ok(rules(`laptop${tagCharacters('ana.costa@acme.example')}`).includes('email'));
  });

  it('lets a stray zero-width joiner or bidi mark through', () => {
    expect(rules('parental\u200B leave \u200Fpolicy 👨‍👩‍👧')).toStrictEqual([]);
  });
});

describe('query guard: strip removes exactly the findings, in the text as sent', () => {
  const strip = (query: string) => stripFindings(query, inspectQuery(query, 4096));
  it('keeps the words around a split payload and drops the payload', () => {
    assert.equal(strip(`salary bands ${words(base64, 8)} engineers`), 'salary bands engineers');
    assert.equal(strip(`policy ${words(hex, 4)}`), 'policy');
    assert.equal(strip(`find ${words(percent, 3)}`), 'find');
  });
  it('removes a whole single-quoted object, and keeps the query in its own script', () => {
    assert.equal(strip("отпуск {'name': 'Ana', 'salary': 120000} политика"), 'отпуск политика');
  });
  it('removes hidden characters and what they spell', () => {
    assert.equal(strip(`laptop policy${tagCharacters('salary of Ana is 120000')}`), 'laptop policy');
  });
});
