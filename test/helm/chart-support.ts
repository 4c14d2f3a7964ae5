/**
 * Helpers for the chart tests: a real helm v3 binary (scripts/helm.js fetches it, DESIGN §8), rendering
 * with values, and validating rendered objects with kubernetes-models and its siblings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const CHART = join(ROOT, 'helm', 'tessera');
export const RELEASE = 'tessera';
export const NAMESPACE = 'tessera';
export const EXAMPLE_VALUES = readdirSync(join(ROOT, 'deploy'))
  .filter((file) => /^values-.*\.ya?ml$/.test(file))
  .sort()
  .map((file) => join('deploy', file));

let helmPath: string | undefined;

/** The helm binary; fails with the reason when it cannot be had (never skips). */
export function helm(): string {
  if (helmPath) return helmPath;
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'helm.js'), '--path'], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`could not obtain helm for the chart tests:\n${result.stderr || result.stdout}`);
  helmPath = result.stdout.trim();
  return helmPath;
}

export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runHelm(args: readonly string[]): HelmResult {
  const result = spawnSync(helm(), args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface RenderOptions {
  readonly valuesFiles?: readonly string[];
  /** --set-json key=value pairs. */
  readonly setJson?: Readonly<Record<string, unknown>>;
  readonly includeCrds?: boolean;
  readonly extraArgs?: readonly string[];
  readonly chart?: string;
  /** Leave out test/helm/values-required.yaml (host and database), which every other render starts from. */
  readonly bare?: boolean;
}

/** The values the chart requires (host, database), under every test render unless `bare`. */
export const REQUIRED_VALUES = 'test/helm/values-required.yaml';

export function templateArgs(options: RenderOptions = {}): string[] {
  return [
    'template',
    RELEASE,
    options.chart ?? CHART,
    '--namespace',
    NAMESPACE,
    ...(options.includeCrds ? ['--include-crds'] : []),
    ...[...(options.bare ? [] : [REQUIRED_VALUES]), ...(options.valuesFiles ?? [])].flatMap((file) => ['-f', join(ROOT, file)]),
    ...Object.entries(options.setJson ?? {}).flatMap(([key, value]) => ['--set-json', `${key}=${JSON.stringify(value)}`]),
    ...(options.extraArgs ?? []),
  ];
}

/** helm template; throws with helm's message when it fails. */
export function render(options: RenderOptions = {}): KubeObject[] {
  const result = runHelm(templateArgs(options));
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
      return doc.toJSON() as KubeObject | null;
    })
    .filter((object): object is KubeObject => object !== null);
}

/** The chart's NOTES.txt, rendered from a copy of the chart in which it is an ordinary template. */
export function renderNotes(options: RenderOptions = {}): string {
  const copy = mkdtempSync(join(tmpdir(), 'tessera-chart-'));
  try {
    cpSync(CHART, copy, { recursive: true });
    writeFileSync(
      join(copy, 'templates', 'notes-preview.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: notes-preview }\ndata:\n  notes: |\n{{ include "tessera.notes" . | indent 4 }}\n',
    );
    const result = runHelm([...templateArgs({ ...options, chart: copy }), '--show-only', 'templates/notes-preview.yaml']);
    if (result.status !== 0) throw new Error(`rendering NOTES.txt failed:\n${result.stderr}`);
    const [notes] = parseManifests(result.stdout) as Array<KubeObject & { data: { notes: string } }>;
    return notes.data.notes;
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

// --- validation with kubernetes-models ------------------------------------------------------------------

type ModelClass = new (data: unknown) => { validate(): void };
const load = createRequire(__filename);

/** The packages' files are ES modules exported for `import` only: load the group's index by its path. */
function modelModule(packageDir: string, apiVersion: string): Record<string, unknown> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const file = join(packageDir, group || '', version, 'index.js');
  if (!existsSync(file)) throw new Error(`no models for ${apiVersion} in ${packageDir}`);
  return load(file) as Record<string, unknown>;
}

function packageDir(name: string, version: string): string {
  const local = join(ROOT, 'node_modules', name);
  if (existsSync(join(local, 'package.json'))) return local;
  // Not a dependency of the project (yet): npm-packed into .cache by scripts/helm.js.
  return execFileSync(process.execPath, [join(ROOT, 'scripts', 'helm.js'), '--package', name, version], { encoding: 'utf8' }).trim();
}

const PACKAGES: Array<{ readonly match: RegExp; readonly name: string; readonly version: string }> = [
  { match: /^monitoring\.coreos\.com\//, name: '@kubernetes-models/prometheus-operator', version: '6.0.0' },
  { match: /^gateway\.networking\.k8s\.io\//, name: '@kubernetes-models/gateway-api', version: '2.0.0' },
  { match: /./, name: 'kubernetes-models', version: '5.1.0' },
];

/** Validates an object against its kind's schema; throws naming the object and the problem. */
export function validateObject(object: KubeObject): void {
  const source = PACKAGES.find((p) => p.match.test(object.apiVersion))!;
  const module = modelModule(packageDir(source.name, source.version), object.apiVersion);
  const Model = module[object.kind] as ModelClass | undefined;
  if (!Model) throw new Error(`${source.name} has no model for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind} ${object.metadata?.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// --- queries over rendered objects ------------------------------------------------------------------------

export function ofKind<T = KubeObject>(objects: readonly KubeObject[], kind: string): Array<KubeObject & T> {
  return objects.filter((o) => o.kind === kind) as Array<KubeObject & T>;
}

export function find<T = KubeObject>(objects: readonly KubeObject[], kind: string, name: string, namespace = NAMESPACE): KubeObject & T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? NAMESPACE) === namespace);
  if (!found) throw new Error(`no ${kind} ${namespace}/${name} among: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as KubeObject & T;
}

export function matchesSelector(labels: Record<string, string> | undefined, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
}
