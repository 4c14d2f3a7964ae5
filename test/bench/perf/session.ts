/**
 * The benchmark's session with the platform under test: the tenant API client, MCP calls, the request
 * mixes, the correctness probes run before any load, and the soak mode. `main.ts` orchestrates.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type ChildHandle } from './children';
import { type BenchDocument } from './corpus';
import { jsonRpc, mcpHeaders, runLoad } from './load';
import { type CpuSplit } from './machine';
import { type BenchOptions, type Scenario } from './options';

const ROOT = resolve(__dirname, '../../..');
export const log = (message: string) => console.log(`[bench] ${message}`);

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export function gitCommit(): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${commit}+changes` : commit;
  } catch {
    return undefined;
  }
}

export function formatCpu(cpu: CpuSplit): string {
  const parts = [`server ${cpu.platform ?? '?'}`];
  if (cpu.postgres !== undefined) parts.push(`postgres ${cpu.postgres}`);
  parts.push(`loadgen ${cpu.loadGenerator}`, `other ${cpu.rest ?? '?'}`);
  return `${parts.join(', ')}; load avg ${cpu.loadavg1}`;
}

export interface Api {
  call(method: string, path: string, body?: unknown): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function tenantApi(baseUrl: string, adminToken: string): Api {
  return {
    async call(method, path, body) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}

/** One MCP request outside the load run, to check that what is measured is a correct answer. */
export async function mcpCall(url: string, token: string | undefined, body: string, extraHeaders: Record<string, string> = {}): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(url, { method: 'POST', headers: { ...mcpHeaders(token), ...extraHeaders }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`MCP ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  const json = response.headers.get('content-type')?.includes('text/event-stream')
    ? JSON.parse(text.split('\n').find((l) => l.startsWith('data: '))!.slice(6))
    : JSON.parse(text);
  if (json.error) throw new Error(`MCP error: ${JSON.stringify(json.error)}`);
  return json.result;
}

export const toolJson = (result: { content: Array<{ text: string }>; isError?: boolean }) => {
  if (result.isError) throw new Error(`tool error: ${result.content[0]?.text}`);
  return JSON.parse(result.content[0]!.text);
};

export interface Workload {
  readonly bodies: (n: number) => string;
  readonly headers: (n: number) => Record<string, string>;
}

export function workloads(tokens: { reader: string; insider: string }, queries: readonly string[], fetchIds: readonly string[], publicIds: readonly string[]) {
  const headers = { reader: mcpHeaders(tokens.reader), insider: mcpHeaders(tokens.insider) };
  const initHeaders = (({ 'mcp-protocol-version': _, ...rest }) => rest)(headers.reader);
  const initialize = (n: number) => jsonRpc(n, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } });
  const search = (n: number) => jsonRpc(n, 'tools/call', { name: 'search', arguments: { query: queries[n % queries.length]! } });
  const fetchDoc = (n: number) => jsonRpc(n, 'tools/call', { name: 'fetch', arguments: { id: fetchIds[n % fetchIds.length]! } });
  const fetchPublic = (n: number) => jsonRpc(n, 'tools/call', { name: 'fetch', arguments: { id: publicIds[n % publicIds.length]! } });
  // 2026-07-28: the version and capabilities in params._meta, the method and tool name mirrored in headers.
  const modern = (n: number, method: string, params: Record<string, unknown> = {}) =>
    jsonRpc(n, method, { ...params, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } });
  const modernHeaders = (base: Record<string, string>, method: string, name?: string) => ({
    ...base, 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}),
  });
  const modernList = modernHeaders(headers.reader, 'tools/list');
  const modernSearch = { reader: modernHeaders(headers.reader, 'tools/call', 'search'), insider: modernHeaders(headers.insider, 'tools/call', 'search') };
  const modernFetch = modernHeaders(headers.insider, 'tools/call', 'fetch');
  const all: Record<Scenario | 'soak', Workload> = {
    'tools/list@2026-07-28': { bodies: (n) => modern(n, 'tools/list'), headers: () => modernList },
    'search@2026-07-28': {
      bodies: (n) => modern(n, 'tools/call', { name: 'search', arguments: { query: queries[n % queries.length]! } }),
      headers: (n) => ((n >> 1) % 2 === 0 ? modernSearch.reader : modernSearch.insider),
    },
    'fetch@2026-07-28': { bodies: (n) => modern(n, 'tools/call', { name: 'fetch', arguments: { id: fetchIds[n % fetchIds.length]! } }), headers: () => modernFetch },
    'tools/list': { bodies: (n) => jsonRpc(n, 'tools/list'), headers: () => headers.reader },
    initialize: { bodies: initialize, headers: () => initHeaders },
    // Half the searches by a reader outside the restricted group, half by one inside it: the ACL filter is always on.
    search: { bodies: search, headers: (n) => ((n >> 1) % 2 === 0 ? headers.reader : headers.insider) },
    // Every id of the corpus, in a fixed shuffle, by a reader who may read them all.
    fetch: { bodies: fetchDoc, headers: () => headers.insider },
    soak: {
      bodies: (n) => {
        const k = n % 10;
        return k < 4 ? search(n) : k < 6 ? fetchDoc(n) : k < 8 ? fetchPublic(n) : k === 8 ? jsonRpc(n, 'tools/list') : initialize(n);
      },
      headers: (n) => (n % 10 < 2 || (n % 10 >= 4 && n % 10 < 6) ? headers.insider : headers.reader),
    },
  };
  return all;
}


/** Checks, before measuring, that each request the load sends gets a correct answer. */
export async function probe(
  url: string,
  tokens: { reader: string; insider: string },
  queries: readonly string[],
  documents: readonly BenchDocument[],
  restricted: ReadonlySet<string>,
) {
  const list = await mcpCall(url, tokens.reader, jsonRpc(1, 'tools/list'));
  if (list.tools?.length !== 2) throw new Error(`tools/list: ${JSON.stringify(list).slice(0, 200)}`);
  const modern = await mcpCall(url, tokens.reader, jsonRpc(6, 'tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } }),
    { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
  if (modern.resultType !== 'complete' || modern.tools?.length !== 2) throw new Error(`tools/list (2026-07-28): ${JSON.stringify(modern).slice(0, 200)}`);
  const init = await mcpCall(url, tokens.reader, jsonRpc(2, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } }));
  if (!init.protocolVersion) throw new Error('initialize: no protocolVersion');
  let results = 0;
  let empty = 0;
  let restrictedSeenByReader = 0;
  let restrictedSeenByInsider = 0;
  const sample = queries.slice(0, 50);
  for (const [i, query] of sample.entries()) {
    const asReader = toolJson(await mcpCall(url, tokens.reader, jsonRpc(100 + i, 'tools/call', { name: 'search', arguments: { query } }))).results as Array<{ id: string }>;
    const asInsider = toolJson(await mcpCall(url, tokens.insider, jsonRpc(200 + i, 'tools/call', { name: 'search', arguments: { query } }))).results as Array<{ id: string }>;
    results += asReader.length;
    if (asReader.length === 0) empty++;
    restrictedSeenByReader += asReader.filter((r) => restricted.has(r.id)).length;
    restrictedSeenByInsider += asInsider.filter((r) => restricted.has(r.id)).length;
  }
  if (restrictedSeenByReader > 0) throw new Error(`search returned ${restrictedSeenByReader} restricted documents to a reader outside the group`);
  const secret = documents.find((d) => restricted.has(d.id))!;
  const open = documents.find((d) => !restricted.has(d.id))!;
  const fetched = toolJson(await mcpCall(url, tokens.insider, jsonRpc(3, 'tools/call', { name: 'fetch', arguments: { id: secret.id } })));
  if (fetched.text !== secret.text) throw new Error('fetch: the text differs from what was loaded');
  const hidden = await mcpCall(url, tokens.reader, jsonRpc(4, 'tools/call', { name: 'fetch', arguments: { id: secret.id } }));
  if (!hidden.isError) throw new Error('fetch: a restricted document was readable without its group');
  toolJson(await mcpCall(url, tokens.reader, jsonRpc(5, 'tools/call', { name: 'fetch', arguments: { id: open.id } })));
  return {
    searchQueriesProbed: sample.length,
    meanResults: Math.round((results / sample.length) * 10) / 10,
    emptyResultLists: empty,
    restrictedInInsiderResults: restrictedSeenByInsider,
    aclHoldsForReader: true,
    fetchRoundTrips: true,
  };
}

export async function runSoak(options: BenchOptions, url: string, workload: Workload, platform: ChildHandle) {
  const windows = Math.max(1, Math.round((options.soakMinutes! * 60) / options.sampleEverySeconds));
  log(`soak: ${options.soakMinutes} min at ${options.soakRate} req/s (search 40%, fetch 40%, tools/list 10%, initialize 10%), ` +
      `sampling every ${options.sampleEverySeconds} s`);
  const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
  const samples: Array<Record<string, number>> = [];
  const first = await platform.memory();
  samples.push({ seconds: 0, rssMB: mb(first.rss), heapUsedMB: mb(first.heapUsed), heapTotalMB: mb(first.heapTotal), externalMB: mb(first.external) });
  console.log('  time   req/s   p50 ms   p99 ms  errors   rss MB  heapUsed MB  heapTotal MB  heap after GC MB');
  for (let w = 1; w <= windows; w++) {
    const load = await runLoad({
      url,
      bodies: workload.bodies,
      headers: workload.headers,
      connections: Math.min(options.connections, options.soakRate),
      durationSeconds: options.sampleEverySeconds,
      overallRate: options.soakRate,
    });
    const m = await platform.memory();
    await platform.gc();
    const afterGc = await platform.memory();
    const sample = {
      seconds: w * options.sampleEverySeconds,
      requestsPerSecond: Math.round(load.requestsPerSecond),
      p50: load.latencyMs.p50,
      p99: load.latencyMs.p99,
      errors: load.errors + load.non2xx + load.timeouts,
      rssMB: mb(m.rss),
      heapUsedMB: mb(m.heapUsed),
      heapTotalMB: mb(m.heapTotal),
      externalMB: mb(m.external),
      heapAfterGcMB: mb(afterGc.heapUsed),
    };
    samples.push(sample);
    const mmss = `${Math.floor(sample.seconds / 60)}:${String(sample.seconds % 60).padStart(2, '0')}`;
    console.log(`  ${mmss.padStart(5)} ${String(sample.requestsPerSecond).padStart(7)} ${String(sample.p50).padStart(8)} ${String(sample.p99).padStart(8)} ` +
        `${String(sample.errors).padStart(7)} ${sample.rssMB.toFixed(1).padStart(8)} ${sample.heapUsedMB.toFixed(1).padStart(12)} ` +
        `${sample.heapTotalMB.toFixed(1).padStart(13)} ${sample.heapAfterGcMB.toFixed(1).padStart(17)}`);
  }
  const afterGc = samples.filter((s) => s.heapAfterGcMB !== undefined);
  const growth = afterGc.length >= 2 ? afterGc[afterGc.length - 1]!.heapAfterGcMB! - afterGc[0]!.heapAfterGcMB! : 0;
  const hours = ((afterGc.length - 1) * options.sampleEverySeconds) / 3600;
  const summary = {
    minutes: options.soakMinutes,
    rate: options.soakRate,
    samples,
    heapAfterGcGrowthMB: Math.round(growth * 10) / 10,
    heapAfterGcGrowthMBPerHour: hours >= 0.25 ? Math.round((growth / hours) * 10) / 10 : undefined,
    rssGrowthMB: Math.round((samples[samples.length - 1]!.rssMB! - samples[1]!.rssMB!) * 10) / 10,
  };
  log(`soak: heap after GC grew ${summary.heapAfterGcGrowthMB} MB between the first and last sample` +
      `${summary.heapAfterGcGrowthMBPerHour !== undefined ? ` (${summary.heapAfterGcGrowthMBPerHour} MB/h)` : ''}; RSS grew ${summary.rssGrowthMB} MB`);
  return summary;
}
