import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditRepository, type AuditEventInput, type AuditWriteOutcome } from '@tessera/persistence';
import { openTestDatabase, type DatabaseKind } from '../support/database-harness';

async function tenant(database: { dataSource: { query(sql: string, values?: unknown[]): Promise<Array<{ id: string }>> } }, slug: string): Promise<string> {
  const [row] = await database.dataSource.query(`INSERT INTO tenants (slug, name, api_key_hash) VALUES ($1, 'T', $2) RETURNING id`, [slug, `hash-${slug}`]);
  return row!.id;
}

const event = (tenantId: string, details: Record<string, unknown>, actorId = 'ana@example.com'): AuditEventInput => ({
  tenantId,
  workspaceId: null,
  actorKind: 'token',
  actorId,
  action: 'tool.fetch',
  outcome: 'ok',
  details,
});

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`audit writes on ${kind}: one bad value never costs the other events`, () => {
    let harness: Awaited<ReturnType<typeof openTestDatabase>>;
    let counts: Record<AuditWriteOutcome, number>;
    let audit: AuditRepository;
    let tenantA: string;
    let tenantB: string;
    beforeAll(async () => {
      harness = await openTestDatabase(kind);
      counts = { written: 0, rejected: 0, failed: 0, dropped: 0 };
      audit = new AuditRepository(harness.database.dataSource, (outcome, n) => (counts[outcome] += n));
      tenantA = await tenant(harness.database, `a-${kind}`);
      tenantB = await tenant(harness.database, `b-${kind}`);
    });
    afterAll(async () => harness?.close());

    const stored = async (tenantId: string) => (await audit.search(tenantId, {}, 50)).map((e) => ({ actorId: e.actorId, details: e.details }));

    it('records NUL and unpaired surrogates as U+FFFD, with the rest of the batch', async () => {
      await audit.appendMany([
        event(tenantA, { documentIds: ['before'] }),
        event(tenantB, { documentIds: ['x\u0000'], query: 'lone \uD800 surrogate', ['key\u0000']: '\uDC00' }, 'sub\u0000ject'),
        event(tenantA, { documentIds: ['after'] }),
      ]);
      expect((await stored(tenantA)).map((e) => e.details.documentIds)).toStrictEqual([['after'], ['before']]);
      expect(await stored(tenantB)).toStrictEqual([
        { actorId: 'sub\uFFFDject', details: { documentIds: ['x\uFFFD'], query: 'lone \uFFFD surrogate', ['key\uFFFD']: '\uFFFD' } },
      ]);
      assert.equal(counts.written, 3);
      assert.equal(counts.rejected, 0);
    });

    it('writes the others when the database refuses one event, and counts that one', async () => {
      const before = { ...counts };
      await audit.appendMany([
        event(tenantA, { documentIds: ['first'] }),
        { ...event(tenantB, {}), workspaceId: 'not-a-uuid' },
        event(tenantB, { documentIds: ['third'] }),
      ]);
      assert.equal(((await stored(tenantA))[0]!.details.documentIds as string[])[0], 'first');
      assert.equal(((await stored(tenantB))[0]!.details.documentIds as string[])[0], 'third');
      assert.equal(counts.written - before.written, 2);
      assert.equal(counts.rejected - before.rejected, 1);
      // A single event refused alone is counted too, and does not throw into the caller's request.
      await audit.append({ ...event(tenantA, {}), tenantId: 'nope' });
      assert.equal(counts.rejected - before.rejected, 2);
    });
  });
}
