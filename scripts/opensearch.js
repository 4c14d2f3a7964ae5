#!/usr/bin/env node
// `npm run opensearch`: a local single-node OpenSearch 2.19 for development, from Maven Central jars
// (tools/opensearch-node). Data under .data/opensearch, HTTP on OPENSEARCH_HTTP_PORT (default 9200),
// transport on OPENSEARCH_TRANSPORT_PORT (default 9300). Prints the URL once the node answers; Ctrl-C
// or SIGTERM stops it. scripts/test.js uses startOpenSearch() to run the test suites on a real node.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, openSync, readFileSync, statSync, closeSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.join(__dirname, '..');
const toolDir = path.join(root, 'tools/opensearch-node');
const pom = path.join(toolDir, 'pom.xml');
const classpathFile = path.join(toolDir, 'target/classpath.txt');
const START_TIMEOUT_MS = 180_000;

/** The jars' classpath, resolved by Maven once (into ~/.m2) and cached until pom.xml changes. */
function classpath() {
  const fresh = existsSync(classpathFile) && statSync(classpathFile).mtimeMs >= statSync(pom).mtimeMs;
  if (!fresh) {
    const mvn = spawnSync('mvn', ['-q', '-B', '-f', pom, '-Dstyle.color=never', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], {
      stdio: ['ignore', 2, 2],
    });
    if (mvn.error) throw new Error(`Maven is needed to start OpenSearch (${mvn.error.code}); .ci/run installs it`);
    if (mvn.status !== 0) throw new Error('Maven could not resolve the OpenSearch jars (see above)');
  }
  return readFileSync(classpathFile, 'utf8').trim();
}

async function answers(url) {
  try {
    const response = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Resolves when nothing listens on 127.0.0.1:port (the node binds there); rejects with EADDRINUSE otherwise. */
function portFree(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * Refuses, in one line that names the variable to change, a port something else holds: otherwise the
 * JVM starts, fails to bind, and the only trace is a Java stack trace at the end of its log.
 */
async function requireFreePorts(httpPort, transportPort) {
  const ports = [
    { port: httpPort, variable: 'OPENSEARCH_HTTP_PORT', note: '' },
    { port: transportPort, variable: 'OPENSEARCH_TRANSPORT_PORT', note: ' (npm test uses OPENSEARCH_HTTP_PORT + 100)' },
  ];
  for (const { port, variable, note } of ports) {
    try {
      await portFree(port);
    } catch (error) {
      const why = error.code === 'EADDRINUSE' ? 'is in use (another OpenSearch node or another program)' : `cannot be used (${error.code ?? error.message})`;
      throw new Error(`port ${port} on 127.0.0.1 ${why}: stop what holds it, or choose a free port with ${variable}=<port>${note}`);
    }
  }
}

/**
 * Starts a node and resolves once it answers HTTP. `baseDir` holds its data and `opensearch.log`.
 * Rejects (and stops the JVM) when the port is taken, Java or Maven is missing, or it does not answer in time.
 */
async function startOpenSearch({ baseDir, httpPort = 9200, transportPort = 9300, heap = '1g' }) {
  const url = `http://127.0.0.1:${httpPort}`;
  if (await answers(url)) throw new Error(`something already answers on ${url}; stop it or set OPENSEARCH_HTTP_PORT`);
  await requireFreePorts(httpPort, transportPort);
  mkdirSync(baseDir, { recursive: true });
  const logFile = path.join(baseDir, 'opensearch.log');
  const log = openSync(logFile, 'a');
  const java = spawn(
    process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/java') : 'java',
    [
      '-Xms512m',
      `-Xmx${heap}`,
      '-Djava.locale.providers=SPI,COMPAT',
      '-Dlog4j2.disable.jmx=true',
      '-Dfile.encoding=UTF-8',
      '-cp',
      classpath(),
      // Java runs a single source file directly: no compile step, no build output to keep.
      path.join(toolDir, 'src/OpenSearchNode.java'),
      baseDir,
      String(httpPort),
      String(transportPort),
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  let exited = null;
  const exit = new Promise((resolve) => java.once('exit', (code, signal) => resolve((exited = { code, signal }))));
  const stop = async () => {
    if (exited) return;
    java.kill('SIGTERM');
    const forced = setTimeout(() => java.kill('SIGKILL'), 20_000);
    await exit;
    clearTimeout(forced);
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(url))) {
    if (exited || Date.now() > deadline) {
      await stop();
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`OpenSearch did not start (${exited ? `exit ${exited.code ?? exited.signal}` : 'timed out'}); ${logFile}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // unref: a caller that stops the node from an 'exit' handler must not be kept alive by it.
  return { url, pid: java.pid, stop, exited: exit, unref: () => java.unref() };
}

module.exports = { startOpenSearch };

if (require.main === module) {
  const port = (name, fallback) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65_535) {
      console.error(`${name} must be a port number`);
      process.exit(2);
    }
    return value;
  };
  const baseDir = path.resolve(process.env.OPENSEARCH_DATA_DIR ?? path.join(root, '.data/opensearch'));
  console.error(`[opensearch] starting (data and log in ${baseDir}) …`);
  startOpenSearch({ baseDir, httpPort: port('OPENSEARCH_HTTP_PORT', 9200), transportPort: port('OPENSEARCH_TRANSPORT_PORT', 9300) }).then(
    (node) => {
      console.log(node.url);
      console.error(`[opensearch] ready; use SEARCH_BACKEND=opensearch OPENSEARCH_URL=${node.url} OPENSEARCH_REPLICAS=0. Ctrl-C stops it.`);
      let stopping = false;
      for (const signal of ['SIGINT', 'SIGTERM']) {
        process.on(signal, () => {
          stopping = true;
          node.stop().then(() => process.exit(0));
        });
      }
      node.exited.then(({ code, signal }) => {
        if (stopping) return;
        console.error(`[opensearch] the node stopped (${code ?? signal})`);
        process.exit(code ?? 1);
      });
    },
    (error) => {
      console.error(`[opensearch] ${error.message}`);
      process.exit(1);
    },
  );
}
