import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { normalizeLastModified } from './document';

describe('normalizeLastModified', () => {
  it('takes an ISO 8601 date or a date and time with a zone, as UTC', () => {
    assert.equal(normalizeLastModified('2026-12-07'), '2026-12-07T00:00:00.000Z');
    assert.equal(normalizeLastModified('2026-12-07T20:31Z'), '2026-12-07T20:31:00.000Z');
    assert.equal(normalizeLastModified('2026-12-07T20:31:05.123456+02:00'), '2026-12-07T18:31:05.123Z');
    assert.equal(normalizeLastModified('2024-02-29T23:59:59-00:30'), '2024-03-01T00:29:59.000Z');
  });

  it('refuses days and times that do not exist, times without a zone, and anything not a string', () => {
    for (const bad of ['2026-02-29', '2026-04-31', '2026-00-10', '2026-12-07T24:00:00Z', '2026-12-07T10:60Z', '2026-12-07T10:00:00',
      '0999-01-01', '+02026-01-01', '2026-12-07 10:00:00Z', '2026-12-07T10:00:00Z ', '', 'x'.repeat(100), '2026-12-07T10:00:00.1234567890Z']) {
      assert.equal(normalizeLastModified(bad), null, JSON.stringify(bad));
    }
    for (const bad of [undefined, null, 1765100000, new Date(), ['2026-12-07'], { value: '2026-12-07' }]) assert.equal(normalizeLastModified(bad), null);
  });
});
