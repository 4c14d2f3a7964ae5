/**
 * OidcModelRepository.claimOnce, the single use of a test sign-in's ticket: of many claims of one row made
 * at the same time on separate connections, exactly one wins; an expired or missing row is never claimed.
 * Real PostgreSQL (a pool of connections) and the embedded PGlite.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OidcModelRepository, type Database } from '@tessera/persistence';
import { openTestDatabase, type DatabaseKind } from '../support/database-harness';

for (const kind of ['postgres', 'pglite'] as DatabaseKind[]) {
  describe(`claiming a stored OAuth model once (${kind})`, () => {
    let database: Database;
    let close: () => Promise<void>;
    let models: OidcModelRepository;

    beforeAll(async () => {
      ({ database, close } = await openTestDatabase(kind));
      models = new OidcModelRepository(database.dataSource);
    });
    afterAll(async () => close?.());

    it('lets exactly one of many simultaneous claims win, and returns the payload it wrote', async () => {
      await models.upsert('Ticket', 'ticket-1', { tenantId: 't', outcome: { status: 'pending' } }, 600);
      const claims = await Promise.all(Array.from({ length: 16 }, (_, i) => models.claimOnce('Ticket', 'ticket-1', 'startedAt', `claim-${i}`)));
      const won = claims.filter((c) => c !== undefined);
      assert.equal(won.length, 1);
      expect(won[0]).toStrictEqual({ tenantId: 't', outcome: { status: 'pending' }, startedAt: won[0]!.startedAt });
      assert.deepEqual((await models.find('Ticket', 'ticket-1'))?.payload, won[0], 'the winner is what is stored');
      assert.equal(await models.claimOnce('Ticket', 'ticket-1', 'startedAt', 'late'), undefined);
    });

    it('claims no row that is missing, expired, or of another kind', async () => {
      assert.equal(await models.claimOnce('Ticket', 'missing', 'startedAt', 'x'), undefined);
      await models.upsert('Ticket', 'ticket-2', { outcome: { status: 'pending' } }, 600);
      await database.dataSource.query(`UPDATE oidc_models SET expires_at = now() - interval '1 second' WHERE kind = 'Ticket' AND id = 'ticket-2'`);
      assert.equal(await models.claimOnce('Ticket', 'ticket-2', 'startedAt', 'x'), undefined);
      await models.upsert('Grant', 'ticket-3', {}, 600);
      assert.equal(await models.claimOnce('Ticket', 'ticket-3', 'startedAt', 'x'), undefined);
    });
  });
}
