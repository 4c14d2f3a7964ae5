import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { parseJsonFile, parseJsonLine, toDocument, type ParsedEntry } from './json-documents';

const noPrefix = { idPrefix: '' };

function parseLines(content: string, options = noPrefix): ParsedEntry[] {
  return content
    .split('\n')
    .map((line, index) => parseJsonLine(line, index + 1, 'data.jsonl', options))
    .filter((entry): entry is ParsedEntry => entry !== undefined);
}

describe('parseJsonLine (jsonl / ndjson)', () => {
  it('keeps good lines, reports a bad line with its number and skips blank lines', () => {
    const entries = parseLines(
      '{"id":"a","title":"A","text":"one"}\n{"id": "b", "title": \n\n{"id":"c","title":"C","html":"<p>c</p>"}\n',
    );
    assert.equal(entries.length, 3);
    expect(entries[0]).toStrictEqual({ ok: true, location: 'data.jsonl:1', document: { id: 'a', title: 'A', text: 'one' } });
    assert.equal(entries[1].ok, false);
    assert.equal(entries[1].location, 'data.jsonl:2');
    assert.match(entries[1].ok ? '' : entries[1].message, /^invalid JSON/);
    assert.equal(entries[2].location, 'data.jsonl:4');
    assert.equal(entries[2].ok, true);
  });

  it('strips a byte-order mark and a trailing carriage return', () => {
    const [entry] = parseLines('\ufeff{"id":"a","title":"A","text":"t"}\r');
    assert.equal(entry.ok, true);
  });
});

describe('parseJsonFile', () => {
  it('accepts a single document object', () => {
    const entries = parseJsonFile('{"id":"one","title":"One","text":"x","metadata":{"k":1}}', 'one.json', noPrefix);
    expect(entries).toStrictEqual([{ ok: true, location: 'one.json', document: { id: 'one', title: 'One', text: 'x', metadata: { k: 1 } } }]);
  });

  it('accepts an array and numbers its items for failures', () => {
    const entries = parseJsonFile('[{"id":"a","title":"A","text":"x"}, 42, {"id":"b","title":"B"}]', 'all.json', noPrefix);
    expect(entries.map((entry) => [entry.location, entry.ok])).toStrictEqual([
        ['all.json#1', true],
        ['all.json#2', false],
        ['all.json#3', false],
      ]);
  });

  it('reports invalid JSON and unexpected top-level values as one failure for the file', () => {
    const [broken] = parseJsonFile('{"id": ', 'broken.json', noPrefix);
    assert.equal(broken.ok, false);
    assert.equal(broken.location, 'broken.json');
    const [scalar] = parseJsonFile('"text"', 'scalar.json', noPrefix);
    assert.match(scalar.ok ? '' : scalar.message, /document object or an array/);
  });
});

describe('toDocument validation', () => {
  const message = (value: unknown, options = noPrefix) => {
    const result = toDocument(value, options);
    return result.ok ? 'ok' : result.message;
  };

  it('requires a valid lowercase id, a title and exactly one of text/html', () => {
    assert.match(message({ title: 'x', text: 'y' }), /"id" is required/);
    assert.match(message({ id: 'Upper', title: 'x', text: 'y' }), /invalid id "Upper"/);
    assert.match(message({ id: 'a', text: 'y' }), /"title" is required/);
    assert.match(message({ id: 'a', title: 'x' }), /exactly one of "text" or "html"/);
    assert.match(message({ id: 'a', title: 'x', text: 'y', html: '<p>' }), /exactly one/);
    assert.match(message({ id: 'a', title: 'x', text: 5 }), /"text" must be a string/);
    assert.match(message({ id: 'a', title: 'x', text: 'y', acl: { groups: 'eng' } }), /"acl" must be/);
    assert.match(message({ id: 'a', title: 'x', text: 'y', metadata: [] }), /"metadata" must be an object/);
  });

  it('prefixes ids, applies the default acl only when none is given and passes extra fields through', () => {
    const options = { idPrefix: 'kb-', defaultAcl: { groups: ['eng'] } };
    const withoutAcl = toDocument({ id: 'a', title: 'A', text: 't', language: 'en' }, options);
    expect(withoutAcl).toStrictEqual({ ok: true, document: { id: 'kb-a', title: 'A', text: 't', language: 'en', acl: { groups: ['eng'] } } });
    const withAcl = toDocument({ id: 'b', title: 'B', text: 't', acl: { users: ['u1'] } }, options);
    expect(withAcl.ok && withAcl.document.acl).toStrictEqual({ users: ['u1'] });
  });

  it('rejects an id that the prefix pushes over 128 characters', () => {
    assert.match(message({ id: 'a'.repeat(127), title: 'x', text: 'y' }, { idPrefix: 'kb-' }), /invalid id/);
  });
});

describe('document urls in JSON files', () => {
  it('reports a url with bidi, zero-width or control characters on its own line, as the server would', () => {
    const entries = parseLines(
      [
        '{"id":"a","title":"A","text":"t","url":"https://kb.example/\\u202Egnp.exe"}',
        '{"id":"b","title":"B","text":"t","url":"https://kb\\u200B.example/"}',
        '{"id":"c","title":"C","text":"t","url":"javascript:alert(1)"}',
        '{"id":"d","title":"D","text":"t","url":"https://kb.example/d"}',
      ].join('\n'),
    );
    expect(entries.map((e) => (e.ok ? 'ok' : e.message))).toStrictEqual([
        '"url" must be an http(s) URL without control, bidi or zero-width characters',
        '"url" must be an http(s) URL without control, bidi or zero-width characters',
        '"url" must be an http(s) URL',
        'ok',
      ]);
  });
});
