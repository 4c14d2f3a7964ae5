/**
 * scripts/helm.js: the helm binary it provides is a real helm v3, and its Node unzip (used where the unzip
 * CLI is missing) reads stored and deflated entries.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { crc32, deflateRawSync } from 'node:zlib';
import { helm, ROOT } from './chart-support';

const helmScript = createRequire(__filename)(join(ROOT, 'scripts', 'helm.js')) as { readZipEntry(zip: Buffer, name: string): Buffer };

/** A zip archive with one entry per file, stored or deflated (what `zip` writes, minus the extras). */
function makeZip(files: Array<{ name: string; data: Buffer; deflate: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const body = file.deflate ? deflateRawSync(file.data) : file.data;
    const name = Buffer.from(file.name);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(file.deflate ? 8 : 0, 8);
    header.writeUInt32LE(crc32(file.data), 14);
    header.writeUInt32LE(body.length, 18);
    header.writeUInt32LE(file.data.length, 22);
    header.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(file.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(file.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(header, name, body);
    centrals.push(central, name);
    offset += header.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('scripts/helm.js', () => {
  it('provides a working helm v3 binary', () => {
    const result = spawnSync(helm(), ['version', '--template', '{{ .Version }}'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^v3\.\d+\.\d+$/);
  });

  it('reads stored and deflated zip entries without the unzip CLI', () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251));
    const zip = makeZip([
      { name: 'kubectl/kubectl', data: Buffer.from('not this one'), deflate: false },
      { name: 'helm/helm', data: binary, deflate: true },
      { name: 'helm/LICENSE', data: Buffer.from('Apache-2.0'), deflate: false },
    ]);
    expect(helmScript.readZipEntry(zip, 'helm/helm')).toStrictEqual(binary);
    assert.equal(helmScript.readZipEntry(zip, 'helm/LICENSE').toString(), 'Apache-2.0');
    assert.throws(() => helmScript.readZipEntry(zip, 'helm/missing'), /helm\/missing is not in the archive/);
  });
});
