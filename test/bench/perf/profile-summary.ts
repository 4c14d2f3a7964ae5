/**
 * Reads a V8 .cpuprofile (from the benchmark's --cpu-prof, or `node --cpu-prof`) and tells where the
 * time went: self time per function and per package, and inclusive time per function.
 * Standalone: node -r @swc-node/register test/bench/perf/profile-summary.ts FILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  readonly name: string;
  readonly selfMs: number;
  readonly selfShare: number;
  readonly totalMs?: number;
  readonly totalShare?: number;
}

export interface ProfileSummary {
  readonly file?: string;
  readonly totalMs: number;
  /** Share of the profile the process spent idle (waiting on I/O, e.g. the database). */
  readonly idleShare: number;
  readonly selfByFunction: readonly Hotspot[];
  readonly totalByFunction: readonly Hotspot[];
  readonly selfByPackage: readonly Hotspot[];
}

const ROOT = process.cwd();

function shortUrl(url: string): string {
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(ROOT + '/')) u = u.slice(ROOT.length + 1);
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) u = u.slice(nm + 'node_modules/'.length);
  return u;
}

/** The package (or project area, or V8 pseudo-frame) a frame belongs to. */
function packageOf(frame: CallFrame): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native/V8)';
  const url = frame.url.replace(/^file:\/\//, '');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:') || !url.startsWith('/')) return 'node internals';
  const rel = url.startsWith(ROOT + '/') ? url.slice(ROOT.length + 1) : url;
  const parts = rel.replace(/^dist\//, '').split('/');
  return parts.length >= 2 && (parts[0] === 'apps' || parts[0] === 'libs') ? `${parts[0]}/${parts[1]}` : rel;
}

function frameName(frame: CallFrame): string {
  const fn = frame.functionName || '(anonymous)';
  return frame.url ? `${fn} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : fn;
}

export function summarizeProfile(profile: CpuProfile, top = 15): Omit<ProfileSummary, 'file'> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0; // a sample's time is the gap to the next sample
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + Math.max(delta, 0));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;

  const selfByName = new Map<string, number>();
  const selfByPkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') idleUs += us;
    const name = frameName(frame);
    selfByName.set(name, (selfByName.get(name) ?? 0) + us);
    const pkg = packageOf(frame);
    selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + us);
    // Inclusive: count this sample once for every distinct function on its stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = frameName(byId.get(cur)!.callFrame);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs || 1;
  const rank = (map: Map<string, number>, skip: (name: string) => boolean = () => false): Hotspot[] =>
    [...map]
      .filter(([name]) => !skip(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, selfShare: us / busyUs }));
  return {
    totalMs: totalUs / 1000,
    idleShare: idleUs / totalUs,
    selfByFunction: rank(selfByName, (n) => n === '(idle)'),
    totalByFunction: [...inclusive]
      .filter(([name]) => !name.startsWith('(root)') && name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: (selfByName.get(name) ?? 0) / 1000, selfShare: (selfByName.get(name) ?? 0) / busyUs, totalMs: us / 1000, totalShare: us / busyUs })),
    selfByPackage: rank(selfByPkg, (n) => n === '(idle)'),
  };
}

export function readProfileSummary(file: string, top = 15): ProfileSummary {
  return { file, ...summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top) };
}

const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;

export function formatProfileSummary(summary: ProfileSummary, top = 12): string {
  const lines = [
    `${summary.file ?? 'profile'}: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.idleShare * 100).toFixed(0)}% idle; shares below are of busy time`,
    '  self time by package:',
    ...summary.selfByPackage.slice(0, 8).map((h) => `    ${pct(h.selfShare)}  ${h.name}`),
    '  self time by function:',
    ...summary.selfByFunction.slice(0, top).map((h) => `    ${pct(h.selfShare)}  ${h.name}`),
    '  inclusive time by function:',
    ...summary.totalByFunction.slice(0, top).map((h) => `    ${pct(h.totalShare ?? 0)}  ${h.name}`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profile-summary.ts FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  console.log(formatProfileSummary(readProfileSummary(file, Number(top ?? 25)), Number(top ?? 25)));
}
