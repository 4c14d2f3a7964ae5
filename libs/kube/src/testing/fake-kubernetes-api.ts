/**
 * A recorded fake of the parts of the Kubernetes API the Workspace controller uses, on 127.0.0.1:
 * Workspaces (list, watch, merge-patch with resourceVersion preconditions, the status subresource,
 * finalizers holding deletion) and coordination.k8s.io Leases. Status writes are checked against the CRD's
 * schema, Lease times against the API server's MicroTime format. Every request is recorded.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parse } from 'yaml';
import { RecordingServer, sendJson, type RecordedRequest } from './recording-server';

type Json = Record<string, unknown>;
interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: Json & { name: string; namespace: string; resourceVersion: string; finalizers?: string[]; deletionTimestamp?: string; generation?: number };
  spec?: Json;
  status?: Json;
}
interface WatchEvent {
  readonly rv: number;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: StoredObject;
}

const WORKSPACES = /^\/apis\/tessera\.dev\/v1alpha1(?:\/namespaces\/([^/]+))?\/workspaces(?:\/([^/]+))?(\/status)?$/;
const LEASES = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
export const CRD_PATH = join(__dirname, '../../../../helm/tessera/files/crds/workspaces.tessera.dev.yaml');

export class FakeKubernetesApi {
  readonly server = new RecordingServer((request, res) => this.handle(request, res));
  private readonly workspaces = new Map<string, StoredObject>();
  private readonly leases = new Map<string, StoredObject>();
  private readonly events: WatchEvent[] = [];
  private readonly watchers = new Set<{ namespace?: string; res: ServerResponse }>();
  private revision = 100;
  private readonly validateWorkspace: (data: unknown) => boolean;
  private validationErrors: () => string;

  constructor(readonly token: string) {
    const crd = parse(readFileSync(CRD_PATH, 'utf8')) as { spec: { versions: { schema: { openAPIV3Schema: object } }[] } };
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(crd.spec.versions[0].schema.openAPIV3Schema);
    this.validateWorkspace = (data) => validate(data) as boolean;
    this.validationErrors = () => ajv.errorsText(validate.errors);
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  start(): Promise<string> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    this.closeWatches();
    await this.server.stop();
  }

  /** Ends every open watch, as an API server does now and then. */
  closeWatches(): void {
    for (const watcher of this.watchers) watcher.res.end();
    this.watchers.clear();
  }

  /** kubectl apply: creates the object or changes its spec (bumping generation). */
  applyWorkspace(namespace: string, name: string, spec: Json, creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')): StoredObject {
    const key = `${namespace}/${name}`;
    const existing = this.workspaces.get(key);
    if (existing) {
      existing.spec = spec;
      existing.metadata.generation = (existing.metadata.generation ?? 1) + 1;
      this.touch(existing, 'MODIFIED');
      return existing;
    }
    const created: StoredObject = {
      apiVersion: 'tessera.dev/v1alpha1',
      kind: 'Workspace',
      metadata: { name, namespace, uid: `uid-${name}`, generation: 1, creationTimestamp, resourceVersion: '' },
      spec,
    };
    this.workspaces.set(key, created);
    this.touch(created, 'ADDED');
    return created;
  }

  /** kubectl delete: finalizers hold the object (with a deletionTimestamp) until they are removed. */
  deleteWorkspace(namespace: string, name: string): void {
    const object = this.workspaces.get(`${namespace}/${name}`);
    if (!object) return;
    if (object.metadata.finalizers?.length) {
      object.metadata.deletionTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      this.touch(object, 'MODIFIED');
    } else {
      this.remove(object);
    }
  }

  workspace(namespace: string, name: string): StoredObject | undefined {
    return this.workspaces.get(`${namespace}/${name}`);
  }

  lease(namespace: string, name: string): StoredObject | undefined {
    return this.leases.get(`${namespace}/${name}`);
  }

  /** Writes a Lease as another replica would. */
  putLease(namespace: string, name: string, spec: Json): void {
    const object: StoredObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace, resourceVersion: '' }, spec };
    object.metadata.resourceVersion = String(++this.revision);
    this.leases.set(`${namespace}/${name}`, object);
  }

  private handle(request: RecordedRequest, res: ServerResponse): void {
    if (request.headers.authorization !== `Bearer ${this.token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const workspaces = WORKSPACES.exec(request.path);
    if (workspaces) return this.handleWorkspaces(request, res, workspaces[1], workspaces[2], Boolean(workspaces[3]));
    const leases = LEASES.exec(request.path);
    if (leases) return this.handleLeases(request, res, leases[1], leases[2]);
    status(res, 404, 'NotFound', `the server could not find the requested resource (${request.method} ${request.path})`);
  }

  private handleWorkspaces(request: RecordedRequest, res: ServerResponse, namespace: string | undefined, name: string | undefined, statusPath: boolean): void {
    if (!name) {
      if (request.method !== 'GET') return status(res, 405, 'MethodNotAllowed', request.method);
      return request.query.watch === 'true' ? this.watch(request, res, namespace) : this.list(res, namespace);
    }
    const object = this.workspaces.get(`${namespace}/${name}`);
    if (!object) return status(res, 404, 'NotFound', `workspaces.tessera.dev "${name}" not found`);
    if (request.method === 'GET') return sendJson(res, 200, object);
    if (request.method !== 'PATCH') return status(res, 405, 'MethodNotAllowed', request.method);
    if (request.headers['content-type'] !== 'application/merge-patch+json') {
      return status(res, 415, 'UnsupportedMediaType', `unexpected patch type ${String(request.headers['content-type'])}`);
    }
    const patch = request.body as Json;
    const precondition = (patch.metadata as Json | undefined)?.resourceVersion;
    if (precondition !== undefined && precondition !== object.metadata.resourceVersion) {
      return status(res, 409, 'Conflict', `Operation cannot be fulfilled on workspaces.tessera.dev "${name}": the object has been modified`);
    }
    // The status subresource: the main resource ignores status, /status ignores everything else.
    const next = structuredClone(object);
    if (statusPath) {
      next.status = mergePatch(object.status ?? {}, patch.status) as Json;
    } else {
      const { status: _ignored, ...rest } = patch;
      Object.assign(next, mergePatch(object, rest));
      next.status = object.status;
      if (JSON.stringify(next.spec) !== JSON.stringify(object.spec)) next.metadata.generation = (object.metadata.generation ?? 1) + 1;
    }
    next.metadata.resourceVersion = object.metadata.resourceVersion;
    if (!this.validateWorkspace(next)) return status(res, 422, 'Invalid', `Workspace.tessera.dev "${name}" is invalid: ${this.validationErrors()}`);
    if (JSON.stringify(next) === JSON.stringify(object)) return sendJson(res, 200, object); // a no-op write changes nothing
    Object.assign(object, next);
    if (object.metadata.deletionTimestamp && !object.metadata.finalizers?.length) {
      this.remove(object);
      return sendJson(res, 200, object);
    }
    this.touch(object, 'MODIFIED');
    sendJson(res, 200, object);
  }

  private list(res: ServerResponse, namespace: string | undefined): void {
    sendJson(res, 200, {
      apiVersion: 'tessera.dev/v1alpha1',
      kind: 'WorkspaceList',
      metadata: { resourceVersion: String(this.revision) },
      items: [...this.workspaces.values()].filter((o) => !namespace || o.metadata.namespace === namespace),
    });
  }

  private watch(request: RecordedRequest, res: ServerResponse, namespace: string | undefined): void {
    const since = Number(request.query.resourceVersion ?? 0);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // as the API server does: the watch is open before the first event
    for (const event of this.events) {
      if (event.rv > since && (!namespace || event.object.metadata.namespace === namespace)) this.send(res, event);
    }
    const watcher = { namespace, res };
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }

  private handleLeases(request: RecordedRequest, res: ServerResponse, namespace: string, name: string | undefined): void {
    const body = request.body as StoredObject | undefined;
    if (request.method === 'POST' && !name) {
      const leaseName = body?.metadata?.name ?? '';
      if (this.leases.has(`${namespace}/${leaseName}`)) return status(res, 409, 'AlreadyExists', `leases "${leaseName}" already exists`);
      const invalid = invalidMicroTimes(body?.spec);
      if (invalid) return status(res, 400, 'BadRequest', invalid);
      this.putLease(namespace, leaseName, body!.spec ?? {});
      return sendJson(res, 201, this.leases.get(`${namespace}/${leaseName}`));
    }
    const existing = name ? this.leases.get(`${namespace}/${name}`) : undefined;
    if (request.method === 'GET') return existing ? sendJson(res, 200, existing) : status(res, 404, 'NotFound', `leases "${name}" not found`);
    if (request.method === 'PUT' && name) {
      if (!existing) return status(res, 404, 'NotFound', `leases "${name}" not found`);
      if (body?.metadata?.resourceVersion !== existing.metadata.resourceVersion) {
        return status(res, 409, 'Conflict', `Operation cannot be fulfilled on leases "${name}": the object has been modified`);
      }
      const invalid = invalidMicroTimes(body.spec);
      if (invalid) return status(res, 400, 'BadRequest', invalid);
      this.putLease(namespace, name, body.spec ?? {});
      return sendJson(res, 200, this.leases.get(`${namespace}/${name}`));
    }
    status(res, 405, 'MethodNotAllowed', request.method);
  }

  private touch(object: StoredObject, type: WatchEvent['type']): void {
    object.metadata.resourceVersion = String(++this.revision);
    this.emit({ rv: this.revision, type, object: structuredClone(object) });
  }

  private remove(object: StoredObject): void {
    this.workspaces.delete(`${object.metadata.namespace}/${object.metadata.name}`);
    this.touch(object, 'DELETED');
  }

  private emit(event: WatchEvent): void {
    this.events.push(event);
    for (const watcher of this.watchers) {
      if (!watcher.namespace || watcher.namespace === event.object.metadata.namespace) this.send(watcher.res, event);
    }
  }

  private send(res: ServerResponse, event: WatchEvent): void {
    res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
  }
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/** RFC 7386 JSON Merge Patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Json = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function invalidMicroTimes(spec: Json | undefined): string | undefined {
  for (const field of ['acquireTime', 'renewTime']) {
    const value = spec?.[field];
    if (value !== undefined && (typeof value !== 'string' || !MICRO_TIME.test(value))) {
      return `Lease in version "v1" cannot be handled as a Lease: parsing time "${String(value)}" as MicroTime`;
    }
  }
  return undefined;
}
