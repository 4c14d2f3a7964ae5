import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from '@jest/globals';

const ROOT = join(__dirname, '../../../..');
const OWNER = 'libs/persistence/src/documents/';
/** The table is declared by migrations, which are never edited after they land. */
const MIGRATIONS = 'libs/persistence/src/migrations/';
/** A statement that reads or writes the documents table (functions over it live in migrations). */
const STATEMENT_ON_DOCUMENTS = /\b(?:FROM|INTO|UPDATE|JOIN)\s+documents\b/; // SQL keywords in capitals, as the house writes them

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (entry.name.endsWith('.ts') && !/\.(spec|test|e2e)\.ts$/.test(entry.name)) out.push(relative(ROOT, path));
  }
  return out;
}

describe('the documents table has one owner', () => {
  it('no application or library code outside libs/persistence/src/documents states SQL on it', () => {
    const offenders = [...sourceFiles(join(ROOT, 'apps')), ...sourceFiles(join(ROOT, 'libs'))]
      .filter((file) => !file.startsWith(OWNER) && !file.startsWith(MIGRATIONS))
      .filter((file) => STATEMENT_ON_DOCUMENTS.test(readFileSync(join(ROOT, file), 'utf8')));
    assert.deepEqual(offenders, [], 'ask libs/persistence (documentTable) instead');
  });
});
