import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { analyze } from '../analysis';
import { candidateWindow } from './bm25';
import { PostgresSearchBackend } from './postgres-search.backend';
import { buildPostings, postingBlockColumns, postingBlocks } from './postings';

const WORKSPACE = '0d9c2b1e-4f6a-4c3b-9e1d-2a7b8c9d0e1f';

const DOCUMENTS = [
  { pk: 1, id: 'budget-2026', title: 'Budget report 2026', text: 'The budget report for 2026: travel budget and hiring.', acl: { users: [], groups: [] } },
  { pk: 2, id: 'budget-secret', title: 'Budget of the board', text: 'Board budget, restricted.', acl: { users: [], groups: ['board'] } },
  { pk: 3, id: 'travel', title: 'Travel policy', text: 'Book travel early; the budget is per team.', acl: { users: [], groups: [] } },
  { pk: 4, id: 'menu', title: 'Canteen menu', text: 'Soup on Mondays.', acl: { users: [], groups: [] } },
];

/**
 * A DataSource without a pg pool (so the backend goes through transaction()) whose statements are
 * answered from DOCUMENTS as the database functions would, recording the transaction's isolation, its
 * workspace scope and the statements; the postings cache is off, so every search reads the database.
 */
function scriptedBackend() {
  const isolations: string[] = [];
  const scopes: string[] = [];
  const statements: string[] = [];
  const analyzed = DOCUMENTS.map((d) => ({ docPk: String(d.pk), postings: buildPostings(d) }));
  const blocks = postingBlocks(analyzed);
  const { terms, postings } = postingBlockColumns(blocks);
  const stats = {
    generation: 7,
    doc_count: DOCUMENTS.length,
    total_title_length: DOCUMENTS.reduce((n, d) => n + analyze(d.title).length, 0),
    total_body_length: DOCUMENTS.reduce((n, d) => n + analyze(d.text).length, 0),
  };
  const em = {
    async query(sql: string, parameters: unknown[]) {
      if (sql.includes('set_config')) {
        scopes.push(parameters[0] as string);
        return [];
      }
      statements.push(sql);
      assert.equal(parameters[0], WORKSPACE);
      if (sql.includes('tessera_term_posting_blocks')) {
        return (parameters[1] as string[]).map((term) => {
          const at = terms.indexOf(term);
          return { ...stats, term, packed: at === -1 ? null : postings[at] };
        });
      }
      if (sql.includes('FROM workspace_search_stats s')) {
        // The ACL classes: the open documents (the largest class, unlisted) and the board's.
        const open = DOCUMENTS.filter((d) => d.acl.groups.length === 0);
        const board = DOCUMENTS.filter((d) => d.acl.groups.length > 0);
        return [open, board].map((docs, i) => ({
          generation: stats.generation,
          quarantined: false,
          acl_users: [],
          acl_groups: docs[0]!.acl.groups,
          doc_count: docs.length,
          total_title_length: docs.reduce((n, d) => n + analyze(d.title).length, 0),
          total_body_length: docs.reduce((n, d) => n + analyze(d.text).length, 0),
          pks: i === 0 ? null : docs.map((d) => d.pk),
        }));
      }
      if (sql.includes('tessera_candidate_metadata')) {
        const pks = (parameters[1] as string).slice(1, -1).split(',').filter(Boolean).map(Number);
        return DOCUMENTS.filter((d) => pks.includes(d.pk)).map((d) => ({
          ...stats, pk: d.pk, id: d.id, title: d.title, url: null, acl_users: d.acl.users, acl_groups: d.acl.groups, quarantined: false,
        }));
      }
      throw new Error(`unexpected statement: ${sql}`);
    },
  };
  const dataSource = {
    transaction: async (isolation: string, work: (m: typeof em) => Promise<unknown>) => {
      isolations.push(isolation);
      return work(em);
    },
  } as unknown as DataSource;
  return { backend: new PostgresSearchBackend(dataSource, { postingsCacheBytes: 0 }), isolations, scopes, statements };
}

describe('PostgresSearchBackend.search without a postings cache', () => {
  it('ranks by BM25F over the terms read, inside one snapshot scoped to the workspace', async () => {
    const { backend, isolations, scopes } = scriptedBackend();
    const hits = await backend.search(WORKSPACE, { query: 'budget report', reader: { identifiers: ['ana@example.com'], groups: [] }, limit: 10 });
    expect(hits.map((h) => h.id)).toStrictEqual(['budget-2026', 'travel']);
    assert.ok(hits[0]!.score > hits[1]!.score);
    expect(isolations).toStrictEqual(['REPEATABLE READ']);
    expect(scopes).toStrictEqual([WORKSPACE]);
  });

  it("shows what the reader's groups allow, and nothing else", async () => {
    const { backend } = scriptedBackend();
    const board = await backend.search(WORKSPACE, { query: 'budget', reader: { identifiers: ['bo@example.com'], groups: ['board'] }, limit: 10 });
    expect(board.map((h) => h.id).sort()).toStrictEqual(['budget-2026', 'budget-secret', 'travel']);
    const other = await backend.search(WORKSPACE, { query: 'budget', reader: { identifiers: ['ana@example.com'], groups: [] }, limit: 10 });
    expect(other.map((h) => h.id).sort()).toStrictEqual(['budget-2026', 'travel']);
  });

  it('does not query at all for a query without searchable words', async () => {
    const { backend, statements, isolations } = scriptedBackend();
    expect(await backend.search(WORKSPACE, { query: 'the and of', reader: { identifiers: [], groups: [] }, limit: 10 })).toStrictEqual([]);
    expect(statements).toStrictEqual([]);
    expect(isolations).toStrictEqual([]);
  });
});

describe('candidateWindow', () => {
  it('checks at least the limit, with room for documents the reader may not see', () => {
    for (const limit of [1, 10, 50, 100]) assert.ok(candidateWindow(limit) > limit);
  });
});
