import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { documentId, indexVersion, isSharedIndex, sharedIndex, workspaceAlias, workspaceIndex } from './index-names';

describe('workspace index names', () => {
  const ws = '0b7e4c1e-4a4f-4f8e-9d6a-2f0c8f1b9a11';

  it('puts a versioned index behind a stable alias', () => {
    assert.equal(workspaceAlias(ws), `tessera-${ws}`);
    assert.equal(workspaceIndex(ws, 3), `tessera-${ws}-v3`);
    assert.equal(indexVersion(ws, `tessera-${ws}-v3`), 3);
    assert.equal(indexVersion(ws, `tessera-${ws}-vx`), null);
    assert.equal(indexVersion(ws, 'tessera-other-v1'), null);
  });

  it('refuses ids that could address another index, a wildcard or a path', () => {
    for (const bad of ['*', 'a,b', '../x', 'A-upper', '', '_all', 'ws/x', 'x:y', 'abc-v2', '.shared-v2', 'shared.v2']) {
      assert.throws(() => workspaceAlias(bad), /not usable/, bad);
      assert.throws(() => documentId(bad, 'doc'), /not usable/, bad);
    }
  });

  it('names the shared index so that no workspace alias or index can spell it', () => {
    assert.equal(sharedIndex(2), 'tessera.shared-v2');
    assert.ok(isSharedIndex('tessera.shared-v2') && !isSharedIndex(`tessera-${ws}-v2`) && !isSharedIndex('tessera-shared-v2'));
    assert.equal(indexVersion(ws, 'tessera.shared-v2'), 2);
    assert.equal(documentId(ws, 'a:b/c'), `${ws}:a:b/c`);
  });
});
