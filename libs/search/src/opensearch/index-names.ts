/**
 * Names of a workspace's OpenSearch resources. Readers and writers only ever address the alias; the
 * versioned index behind it changes when the mapping does (see reindexWorkspace).
 */
const INDEX_PREFIX = 'tessera-';

/**
 * Workspace ids become part of index names, which must be lowercase and free of path characters.
 * Ids are UUIDs today; anything else is refused rather than escaped, so a name can never address
 * another workspace's index or a wildcard.
 */
const SAFE_WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{0,100}$/;

export function workspaceAlias(workspaceId: string): string {
  return `${INDEX_PREFIX}${checkedWorkspaceId(workspaceId)}`;
}

export function workspaceIndex(workspaceId: string, version: number): string {
  return `${workspaceAlias(workspaceId)}-v${version}`;
}

/** The mapping version encoded in a concrete index name, or null when the name is not one of ours. */
export function indexVersion(workspaceId: string, indexName: string): number | null {
  const prefix = `${workspaceAlias(workspaceId)}-v`;
  if (!indexName.startsWith(prefix)) return null;
  const version = Number(indexName.slice(prefix.length));
  return Number.isInteger(version) && version > 0 ? version : null;
}

function checkedWorkspaceId(workspaceId: string): string {
  // Refused, not lowercased: two ids differing only in case must never share an index.
  if (!SAFE_WORKSPACE_ID.test(workspaceId)) throw new Error('workspace id is not usable in an index name');
  return workspaceId;
}
