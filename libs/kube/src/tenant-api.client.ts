/**
 * The controller's only way into the platform: the tenant API over HTTP with the platform admin token
 * (README "Tenant API"). It never touches the database.
 */
import type { PlatformObservation, PlatformWorkspace, WorkspacePatch } from './platform-workspace';
import type { ReconcileFailure } from './reconcile';

export class TenantApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TenantApiError';
  }
}

export interface TenantApiClientOptions {
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export class TenantApiClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: TenantApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  /** GET the workspace; on 404, GET the tenant to tell "no workspace" from "no tenant". */
  async observe(tenant: string, slug: string): Promise<PlatformObservation> {
    const found = await this.request('GET', workspacePath(tenant, slug));
    if (found.status === 200) return { state: 'present', workspace: found.body as PlatformWorkspace };
    if (found.status !== 404) throw errorFrom(found);
    const owner = await this.request('GET', `/v1/tenants/${encodeURIComponent(tenant)}`);
    if (owner.status === 404) return { state: 'tenant-missing' };
    if (owner.status !== 200) throw errorFrom(owner);
    return { state: 'absent' };
  }

  /** POST; a 409 (created meanwhile, or made outside Kubernetes) reads what is there instead. */
  async create(tenant: string, slug: string, name: string): Promise<PlatformObservation> {
    const created = await this.request('POST', `/v1/tenants/${encodeURIComponent(tenant)}/workspaces`, { slug, name });
    if (created.status === 201 || created.status === 200) return { state: 'present', workspace: created.body as PlatformWorkspace };
    if (created.status === 409) return this.observe(tenant, slug);
    if (created.status === 404) return { state: 'tenant-missing' };
    throw errorFrom(created);
  }

  async update(tenant: string, slug: string, patch: WorkspacePatch): Promise<PlatformObservation> {
    const updated = await this.request('PATCH', workspacePath(tenant, slug), patch);
    if (updated.status === 200) return { state: 'present', workspace: updated.body as PlatformWorkspace };
    if (updated.status === 404) return this.observe(tenant, slug);
    throw errorFrom(updated);
  }

  /** DELETE; a workspace that is already gone counts as deleted. */
  async delete(tenant: string, slug: string): Promise<PlatformObservation> {
    const deleted = await this.request('DELETE', workspacePath(tenant, slug));
    if (deleted.status === 204 || deleted.status === 200 || deleted.status === 404) return { state: 'absent' };
    throw errorFrom(deleted);
  }

  private async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.adminToken}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new TenantApiError(0, 'unreachable', `tenant API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { message: text.slice(0, 200) };
      }
    }
    return { status: response.status, body: parsed };
  }
}

function workspacePath(tenant: string, slug: string): string {
  return `/v1/tenants/${encodeURIComponent(tenant)}/workspaces/${encodeURIComponent(slug)}`;
}

function errorFrom(response: { status: number; body: unknown }): TenantApiError {
  const body = (response.body ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof body.code === 'string' ? body.code : `http_${response.status}`;
  const message = typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
  return new TenantApiError(response.status, code, message);
}

/** How a failed platform call shows in the Workspace's status, and whether it is worth retrying. */
export function failureFrom(error: unknown): ReconcileFailure {
  if (error instanceof TenantApiError) {
    if (error.status === 400) return { reason: 'InvalidSpec', message: `the tenant API refused the spec: ${error.message}`, retryable: false };
    if (error.status === 401 || error.status === 403) {
      return { reason: 'Unauthorized', message: 'the tenant API refused the controller\'s admin token', retryable: true };
    }
    return { reason: 'PlatformUnavailable', message: error.message, retryable: true };
  }
  return { reason: 'PlatformUnavailable', message: error instanceof Error ? error.message : String(error), retryable: true };
}
