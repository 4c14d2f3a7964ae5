import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { DOCUMENT_FIELD_KINDS, type OptionalDocumentFields, normalizeOptionalFields, optionalFieldsOf, presentOptionalFields, readOptionalFields } from './document-fields';

/** No field given: what a document holds of the table's fields before the ones a test sets. */
const NONE: OptionalDocumentFields = normalizeOptionalFields({});

describe('optional document fields', () => {
  it('reads each declared field, normalized, and null when absent or null', () => {
    expect(readOptionalFields({ lastModified: '2026-12-07T21:00:00+01:00' })).toStrictEqual({ ok: true, value: { ...NONE, lastModified: '2026-12-07T20:00:00.000Z' } });
    expect(readOptionalFields({})).toStrictEqual({ ok: true, value: { ...NONE, lastModified: null } });
    expect(readOptionalFields({ lastModified: null })).toStrictEqual({ ok: true, value: { ...NONE, lastModified: null } });
  });

  it('refuses a value its kind does not accept, naming the field and the rule', () => {
    for (const bad of ['yesterday', '2026-02-30', 42, ['2026-12-07'], '']) {
      const read = readOptionalFields({ lastModified: bad });
      assert.equal(read.ok, false, JSON.stringify(bad));
      assert.match((read as { message: string }).message, /^lastModified: must be an ISO 8601 date/);
    }
  });

  it('stores what it cannot accept as not given where nothing validated first', () => {
    expect(normalizeOptionalFields({ lastModified: 'soon' })).toStrictEqual({ ...NONE, lastModified: null });
    expect(normalizeOptionalFields({ lastModified: '2026-12-07' })).toStrictEqual({ ...NONE, lastModified: '2026-12-07T00:00:00.000Z' });
  });

  it('text kind: trimmed, non-empty, bounded, no NUL', () => {
    const text = DOCUMENT_FIELD_KINDS.text;
    assert.equal(text.normalize('  Ada Lovelace '), 'Ada Lovelace');
    for (const bad of ['', '   ', 'a\0b', 'x'.repeat(1_001), 7, null]) assert.equal(text.normalize(bad), null, JSON.stringify(bad));
  });

  it('responses carry every field (null when not given); fetch metadata only those given', () => {
    expect(optionalFieldsOf({ ...NONE })).toStrictEqual(NONE);
    assert.ok(Object.values(NONE).every((value) => value === null));
    expect(presentOptionalFields(NONE)).toStrictEqual({});
    expect(presentOptionalFields({ ...NONE, lastModified: '2026-12-07T00:00:00.000Z' })).toStrictEqual({ lastModified: '2026-12-07T00:00:00.000Z' });
  });
});
