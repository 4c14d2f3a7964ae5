/**
 * A fake of the tenant API's tenant and workspace endpoints (apps/tenant-api/src/workspaces), on 127.0.0.1,
 * recording every request. It answers like the real one: admin token required, 404 for unknown tenants and
 * workspaces, 409 for a taken slug, effective settings with defaults, PATCH merging clientPolicy.
 */
import { DEFAULT_CLIENT_POLICY, DEFAULT_WORKSPACE_SETTINGS, type ClientPolicy } from '@tessera/domain';
import type { ServerResponse } from 'node:http';
import type { PlatformWorkspace } from '../platform-workspace';
import { RecordingServer, sendJson, type RecordedRequest } from './recording-server';

interface StoredWorkspace {
  id: string;
  slug: string;
  name: string;
  settings: { searchResultLimit?: number; clientPolicy?: Partial<ClientPolicy> };
}

export class FakeTenantApi {
  readonly server = new RecordingServer((request, res) => this.handle(request, res));
  private readonly tenants = new Map<string, Map<string, StoredWorkspace>>();
  private nextId = 1;
  /** Answer every request with this status (e.g. 503) while set. */
  failWith: number | undefined;

  constructor(readonly adminToken: string) {}

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** The requests that changed something, as "METHOD path". */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  addTenant(slug: string): void {
    if (!this.tenants.has(slug)) this.tenants.set(slug, new Map());
  }

  /** A workspace made outside Kubernetes, e.g. through the API or the CLI. */
  addWorkspace(tenant: string, slug: string, name: string, settings: StoredWorkspace['settings'] = {}): void {
    this.addTenant(tenant);
    this.tenants.get(tenant)!.set(slug, { id: `ws-${this.nextId++}`, slug, name, settings });
  }

  workspace(tenant: string, slug: string): PlatformWorkspace | undefined {
    const found = this.tenants.get(tenant)?.get(slug);
    return found ? this.dto(tenant, found) : undefined;
  }

  private handle(request: RecordedRequest, res: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.adminToken}`) {
      return sendJson(res, 401, { code: 'unauthorized', message: 'missing or invalid bearer token' });
    }
    if (this.failWith) return sendJson(res, this.failWith, { code: 'unavailable', message: 'the platform is down' });
    const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent); // v1 tenants {t} workspaces {ws}
    if (parts[0] !== 'v1' || parts[1] !== 'tenants' || !parts[2]) return sendJson(res, 404, { code: 'not_found', message: 'no route' });
    const tenant = this.tenants.get(parts[2]);
    if (!tenant) return sendJson(res, 404, { code: 'not_found', message: `no tenant "${parts[2]}"` });
    if (parts.length === 3 && request.method === 'GET') return sendJson(res, 200, { id: `t-${parts[2]}`, slug: parts[2], name: parts[2] });
    if (parts[3] !== 'workspaces') return sendJson(res, 404, { code: 'not_found', message: 'no route' });
    if (parts.length === 4 && request.method === 'POST') return this.create(parts[2], tenant, request.body, res);
    const workspace = parts[4] ? tenant.get(parts[4]) : undefined;
    if (!workspace) return sendJson(res, 404, { code: 'not_found', message: `no workspace "${parts[4]}"` });
    switch (request.method) {
      case 'GET':
        return sendJson(res, 200, this.dto(parts[2], workspace));
      case 'PATCH':
        return this.update(parts[2], workspace, request.body, res);
      case 'DELETE':
        tenant.delete(workspace.slug);
        return sendJson(res, 204);
      default:
        return sendJson(res, 405, { code: 'method_not_allowed', message: request.method });
    }
  }

  private create(tenantSlug: string, tenant: Map<string, StoredWorkspace>, body: unknown, res: ServerResponse): void {
    const input = body as { slug?: unknown; name?: unknown };
    if (typeof input?.slug !== 'string' || typeof input.name !== 'string' || Object.keys(input).some((k) => k !== 'slug' && k !== 'name')) {
      return sendJson(res, 400, { code: 'validation_failed', message: 'slug and name are required; nothing else is allowed' });
    }
    if (tenant.has(input.slug)) return sendJson(res, 409, { code: 'conflict', message: `slug "${input.slug}" is taken` });
    const workspace: StoredWorkspace = { id: `ws-${this.nextId++}`, slug: input.slug, name: input.name, settings: {} };
    tenant.set(input.slug, workspace);
    sendJson(res, 201, this.dto(tenantSlug, workspace));
  }

  private update(tenantSlug: string, workspace: StoredWorkspace, body: unknown, res: ServerResponse): void {
    const patch = (body ?? {}) as { name?: string; searchResultLimit?: number; clientPolicy?: Partial<ClientPolicy> };
    const unknownKey = Object.keys(patch).find((k) => !['name', 'searchResultLimit', 'clientPolicy'].includes(k));
    if (unknownKey) return sendJson(res, 400, { code: 'validation_failed', message: `property ${unknownKey} should not exist` });
    if (patch.searchResultLimit !== undefined && (patch.searchResultLimit < 1 || patch.searchResultLimit > 50)) {
      return sendJson(res, 400, { code: 'validation_failed', message: 'searchResultLimit must not be greater than 50' });
    }
    if (patch.name !== undefined) workspace.name = patch.name;
    if (patch.searchResultLimit !== undefined) workspace.settings.searchResultLimit = patch.searchResultLimit;
    if (patch.clientPolicy !== undefined) workspace.settings.clientPolicy = { ...(workspace.settings.clientPolicy ?? {}), ...patch.clientPolicy };
    sendJson(res, 200, this.dto(tenantSlug, workspace));
  }

  private dto(tenant: string, workspace: StoredWorkspace): PlatformWorkspace & { createdAt: string } {
    const settings = { ...DEFAULT_WORKSPACE_SETTINGS, ...workspace.settings };
    return {
      id: workspace.id,
      slug: workspace.slug,
      name: workspace.name,
      tenant,
      connectorUrl: `https://tessera.example.com/mcp/${tenant}/${workspace.slug}`,
      createdAt: '2026-11-27T00:00:00.000Z',
      settings: {
        searchResultLimit: settings.searchResultLimit,
        clientPolicy: { ...DEFAULT_CLIENT_POLICY, redirectUris: [...DEFAULT_CLIENT_POLICY.redirectUris], ...(settings.clientPolicy ?? {}) },
      },
    };
  }
}
