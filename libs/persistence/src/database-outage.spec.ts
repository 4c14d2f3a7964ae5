import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { databaseOutage } from './database-outage';

describe('databaseOutage', () => {
  it('names the outages of PostgreSQL and PGlite, through TypeORM wrappers, causes and aggregates', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    assert.equal(databaseOutage(refused), 'connection refused');
    assert.equal(databaseOutage(new AggregateError([refused], 'all failed')), 'connection refused');
    assert.equal(databaseOutage(Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('x'), { code: '57P01' }) })), 'server shutting down');
    assert.equal(databaseOutage(Object.assign(new Error('x'), { code: '08006' })), 'connection lost');
    assert.equal(databaseOutage(Object.assign(new Error('x'), { code: '53300' })), 'out of connections');
    assert.equal(databaseOutage(new Error('Connection terminated unexpectedly')), 'connection lost');
    assert.equal(databaseOutage(new Error('timeout exceeded when trying to connect')), 'no connection in time');
    assert.equal(databaseOutage(new Error('wrapped', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) })), 'connection lost');
  });

  it('leaves everything else alone: constraints, bugs, and what is not an error', () => {
    assert.equal(databaseOutage(Object.assign(new Error('duplicate key'), { code: '23505' })), null);
    assert.equal(databaseOutage(Object.assign(new Error('deadlock detected'), { code: '40P01' })), null);
    assert.equal(databaseOutage(new TypeError('x is undefined')), null);
    for (const value of [undefined, null, 'ECONNREFUSED', 42, { code: 5 }]) assert.equal(databaseOutage(value), null);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    assert.equal(databaseOutage(loop), null, 'a cycle of causes ends');
  });
});
