import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * The OpenSearch user that reads and writes one workspace's index, when the cluster's security plugin
 * restricts each workspace to its own index. null: use the service credentials.
 */
export type WorkspaceCredentialsResolver = (workspaceId: string) => Promise<BasicCredentials | null> | BasicCredentials | null;

const CACHE_MS = 60_000;

/**
 * Credentials from a directory with one file per workspace, named by workspace id and holding
 * `{"username": …, "password": …}` — the shape of a Kubernetes Secret mounted as a volume. Files are
 * re-read after a minute, so a rotated Secret takes effect without a restart.
 */
export function credentialsFromDirectory(directory: string, cacheMs = CACHE_MS): WorkspaceCredentialsResolver {
  const cache = new Map<string, { credentials: BasicCredentials | null; until: number }>();
  return async (workspaceId) => {
    const cached = cache.get(workspaceId);
    if (cached && cached.until > Date.now()) return cached.credentials;
    const credentials = await readCredentials(directory, workspaceId);
    cache.set(workspaceId, { credentials, until: Date.now() + cacheMs });
    return credentials;
  };
}

async function readCredentials(directory: string, workspaceId: string): Promise<BasicCredentials | null> {
  // Workspace ids are UUIDs; anything else must not become a path.
  if (!/^[A-Za-z0-9_-]+$/.test(workspaceId)) return null;
  let text: string;
  try {
    text = await readFile(join(directory, workspaceId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<BasicCredentials>;
  if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') {
    throw new Error(`workspace credentials file for ${workspaceId} needs "username" and "password" strings`);
  }
  return { username: parsed.username, password: parsed.password };
}

export function basicAuthorization(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
