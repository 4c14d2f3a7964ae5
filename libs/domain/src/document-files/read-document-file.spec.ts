import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { readDocumentFile } from './read-document-file';

const failures = (name: string, content: string) =>
  readDocumentFile({ name, content }).flatMap((entry) => (entry.ok ? [] : [`${entry.location}: ${entry.message}`]));

describe('readDocumentFile (the console upload, read as the CLI reads files)', () => {
  it('reads markdown with front matter: title and lastModified from it, the block left out of the text', () => {
    const [entry] = readDocumentFile({ name: 'Release Notes.md', content: '---\ntitle: "Notes: 2.0"\nlast_modified: 2026-01-02\n---\n# Other\nbody\n' });
    assert.ok(entry?.ok);
    expect(entry.document).toStrictEqual({ id: 'release-notes', title: 'Notes: 2.0', lastModified: '2026-01-02', text: '# Other\nbody\n', metadata: { source_path: 'Release Notes.md' } });
  });

  it('sends html as html titled by <title>, and text titled by the file name', () => {
    const [html] = readDocumentFile({ name: 'page.HTML', content: '<html><head><title>A &amp; B</title></head><body><p>x</p></body></html>' });
    assert.ok(html?.ok);
    assert.equal(html.document.title, 'A & B');
    assert.equal(html.document.html?.includes('<p>x</p>'), true);
    const [text] = readDocumentFile({ name: 'notes.txt', content: 'plain', modified: new Date('2026-03-04T05:06:07.000Z') });
    assert.ok(text?.ok);
    expect(text.document).toStrictEqual({ id: 'notes', title: 'notes', text: 'plain', metadata: { source_path: 'notes.txt', modified: '2026-03-04T05:06:07.000Z' } });
  });

  it('reads ndjson line by line, skipping blank lines, each bad line its own failure with its line number', () => {
    const entries = readDocumentFile({ name: 'export.ndjson', content: '{"id":"a","title":"A","text":"x"}\r\n\n{"id":"b","title":"B"\n[1]\n{"id":"Upper","title":"U","text":"u"}\n{"id":"c","title":"C","text":"y","html":"<p>y</p>"}\n' });
    expect(entries.filter((e) => e.ok).map((e) => e.ok && e.document.id)).toStrictEqual(['a']);
    const bad = entries.flatMap((e) => (e.ok ? [] : [e.location]));
    expect(bad).toStrictEqual(['export.ndjson:3', 'export.ndjson:4', 'export.ndjson:5', 'export.ndjson:6']);
    assert.match(failures('x.jsonl', '{"id":"b","title":"B"')[0]!, /^x\.jsonl:1: invalid JSON/);
    assert.match(failures('x.jsonl', '[1]')[0]!, /expected a JSON object/);
    assert.match(failures('x.jsonl', '{"id":"c","title":"C","text":"y","html":"<p>y</p>"}')[0]!, /exactly one of "text" or "html"/);
  });

  it('reads json as one document or an array, and refuses anything else', () => {
    assert.equal(readDocumentFile({ name: 'one.json', content: '{"id":"a","title":"A","text":"x"}' }).length, 1);
    expect(readDocumentFile({ name: 'many.json', content: '[{"id":"a","title":"A","text":"x"},{"id":"b"}]' }).map((e) => e.location)).toStrictEqual(['many.json#1', 'many.json#2']);
    assert.match(failures('bad.json', '{"id":')[0]!, /^bad\.json: invalid JSON/);
    assert.match(failures('num.json', '42')[0]!, /expected a document object or an array/);
    assert.match(failures('nourl.json', '{"id":"a","title":"A","text":"x","url":"javascript:alert(1)"}')[0]!, /"url"/);
    assert.match(failures('acl.json', '{"id":"a","title":"A","text":"x","acl":{"users":"bob"}}')[0]!, /"acl" must be an object/);
  });

  it('refuses files it does not read, and names it cannot make an id from', () => {
    assert.match(failures('photo.png', 'x')[0]!, /^photo\.png: not a document file: use \.md, /);
    assert.match(failures('README', 'x')[0]!, /not a document file/);
    assert.match(failures('.md', 'x')[0]!, /not a document file/);
    assert.match(failures('日本語.md', '# x')[0]!, /no document id can be made/);
  });

  it('never throws, whatever the content', () => {
    for (const content of ['', '\ufeff', '---', '---\n', '<title>', '\u0000\u0001', '{'.repeat(10_000)]) {
      for (const name of ['a.md', 'a.txt', 'a.html', 'a.json', 'a.ndjson']) assert.doesNotThrow(() => readDocumentFile({ name, content }), `${name} ${JSON.stringify(content.slice(0, 10))}`);
    }
  });
});
