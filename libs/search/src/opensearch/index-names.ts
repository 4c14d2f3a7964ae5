/**
 * Names of a workspace's OpenSearch resources. Readers and writers only ever address the workspace's
 * alias; behind it is either a shared index (small workspaces: a filtered, routed alias) or an index
 * of the workspace's own (large ones). See workspace-indices.ts.
 */
export const WORKSPACE_ALIAS_PREFIX = 'tessera-';

/**
 * Workspace ids become part of index and alias names, which must be lowercase and free of path
 * characters. Ids are UUIDs today; anything else is refused rather than escaped, so a name can never
 * address another workspace's index, a shared index or a wildcard. `-v<digits>` at the end is refused
 * too: workspace "x-v2"'s alias would be workspace "x"'s index name.
 */
const SAFE_WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{0,100}$/;
const LOOKS_VERSIONED = /-v\d+$/;

export function workspaceAlias(workspaceId: string): string {
  return `${WORKSPACE_ALIAS_PREFIX}${checkedWorkspaceId(workspaceId)}`;
}

/** The index of a workspace's own (the dedicated tier). */
export function workspaceIndex(workspaceId: string, version: number): string {
  return `${workspaceAlias(workspaceId)}-v${version}`;
}

/**
 * The index small workspaces share, per mapping version. The dot keeps it out of the namespace of
 * workspace aliases and indices (`tessera-<id>`, `tessera-<id>-v<n>`): no workspace id can spell it.
 */
export function sharedIndex(version: number): string {
  return `tessera.shared-v${version}`;
}

export function isSharedIndex(indexName: string): boolean {
  return /^tessera\.shared-v\d+$/.test(indexName);
}

/** The mapping version encoded in a concrete index name (the workspace's own or a shared one), or null. */
export function indexVersion(workspaceId: string, indexName: string): number | null {
  const prefix = isSharedIndex(indexName) ? 'tessera.shared-v' : `${workspaceAlias(workspaceId)}-v`;
  if (!indexName.startsWith(prefix)) return null;
  const version = Number(indexName.slice(prefix.length));
  return Number.isInteger(version) && version > 0 ? version : null;
}

/**
 * The `_id` of a document: the workspace id, a colon, the document's id. Unique across the workspaces
 * of a shared index, and a workspace can only ever name its own documents by id (`get` by id ignores
 * an alias's filter, so the id itself must carry the workspace). Workspace ids cannot contain ":".
 */
export function documentId(workspaceId: string, id: string): string {
  return `${checkedWorkspaceId(workspaceId)}:${id}`;
}

function checkedWorkspaceId(workspaceId: string): string {
  // Refused, not lowercased: two ids differing only in case must never share an index.
  if (!SAFE_WORKSPACE_ID.test(workspaceId) || LOOKS_VERSIONED.test(workspaceId)) throw new Error('workspace id is not usable in an index name');
  return workspaceId;
}
