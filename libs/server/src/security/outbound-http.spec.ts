import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addressProblem, destinationProblem, OutboundHttp, OutboundRequestRefused } from './outbound-http';

/** A stand-in for DNS: the names an attacker would register, pointing where they like. */
const ZONE: Record<string, Array<{ address: string; family: 4 | 6 }>> = {
  'internal.example': [{ address: '10.0.0.5', family: 4 }],
  'metadata.example': [{ address: '169.254.169.254', family: 4 }],
  'mapped.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'ula.example': [{ address: 'fd00::2', family: 6 }],
  'linklocal6.example': [{ address: 'fe80::1', family: 6 }],
  'loopback.example': [{ address: '127.0.0.1', family: 4 }],
  // One public and one private answer: refused, or the connection could pick either.
  'mixed.example': [{ address: '93.184.216.34', family: 4 }, { address: '10.1.2.3', family: 4 }],
  'public.example': [{ address: '93.184.216.34', family: 4 }],
};
const standInDns: LookupFunction = (hostname, options, callback) => {
  const answers = ZONE[hostname];
  const reply = callback as (error: NodeJS.ErrnoException | null, addresses: unknown, family?: number) => void;
  if (!answers) return reply(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), undefined);
  if (options.all) return reply(null, answers);
  reply(null, answers[0]!.address, answers[0]!.family);
};

describe('addressProblem', () => {
  it('refuses loopback, private, link-local, shared, reserved, multicast and IPv4-in-IPv6 forms', () => {
    for (const address of [
      '127.0.0.1', '127.255.0.9', '0.0.0.0', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '192.0.0.8', '192.0.2.2', '198.18.0.1', '224.0.0.1', '255.255.255.255',
      '::', '::1', 'fe80::1', 'fd00::2', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1',
      '64:ff9b::a00:1', '2002:7f00:1::1', '2001:db8::1', '2001::1',
    ]) {
      assert.match(addressProblem(address) ?? '', /special-use/, address);
    }
  });

  it('allows public unicast addresses, and loopback (only loopback) when development asks for it', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111']) assert.equal(addressProblem(address), undefined, address);
    assert.equal(addressProblem('127.0.0.1', true), undefined);
    assert.equal(addressProblem('::1', true), undefined);
    assert.match(addressProblem('10.0.0.1', true) ?? '', /special-use/);
    assert.match(addressProblem('169.254.169.254', true) ?? '', /special-use/);
    assert.match(addressProblem('not-an-ip') ?? '', /not an IP address/);
  });
});

describe('OutboundHttp (a real HTTP server on loopback)', () => {
  let server: Server;
  let port: number;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const redirect = /^\/redirect\?to=(.*)$/.exec(req.url ?? '');
      if (redirect) return res.writeHead(302, { location: decodeURIComponent(redirect[1]!) }).end();

      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const refused = async (outbound: OutboundHttp, url: string, pattern: RegExp) => {
    const before = requests.length;
    await assert.rejects(outbound.fetch(url), (error: unknown) => {
      const refusal = error instanceof OutboundRequestRefused ? error : (error as { cause?: unknown }).cause;
      assert.ok(refusal instanceof OutboundRequestRefused, `${url}: ${String(error)}`);
      assert.match(refusal.message, pattern, url);
      return true;
    });
    assert.equal(requests.length, before, `${url} reached the server`);
  };

  it('refuses IP literals in every form the URL parser accepts, before connecting', async () => {
    const outbound = new OutboundHttp();
    try {
      for (const host of ['127.0.0.1', '2130706433', '0177.0.0.1', '0x7f.0.0.1', '127.1', '[::1]', '[::ffff:127.0.0.1]', '[0:0:0:0:0:ffff:7f00:1]', '10.0.0.1', '169.254.169.254', '[fe80::1]', '0.0.0.0']) {
        await refused(outbound, `https://${host}:${port}/`, /special-use/);
      }
    } finally {
      await outbound.onModuleDestroy();
    }
  });

  it('refuses names that resolve to loopback, private, link-local or IPv4-mapped addresses, at connection time', async () => {
    const outbound = new OutboundHttp({ lookup: standInDns });
    try {
      for (const name of ['internal.example', 'metadata.example', 'mapped.example', 'ula.example', 'linklocal6.example', 'loopback.example', 'mixed.example']) {
        await refused(outbound, `https://${name}:${port}/`, /resolves to .*special-use/);
      }
    } finally {
      await outbound.onModuleDestroy();
    }
    const realDns = new OutboundHttp();
    try {
      await refused(realDns, `https://localhost:${port}/`, /localhost resolves to 127\.0\.0\.1/);
    } finally {
      await realDns.onModuleDestroy();
    }
  });

  it('refuses plain http and URLs with credentials', async () => {
    const outbound = new OutboundHttp({ lookup: standInDns });
    try {
      await refused(outbound, 'http://public.example/', /http URLs are not fetched/);
      await refused(outbound, 'https://user:pass@public.example/', /credentials/);
    } finally {
      await outbound.onModuleDestroy();
    }
  });

  it('with the development escape hatch reaches loopback, and still refuses redirects to private addresses', async () => {
    const outbound = new OutboundHttp({ allowLoopback: true, lookup: standInDns });
    try {
      const direct = await outbound.fetch(`http://127.0.0.1:${port}/doc`);
      assert.equal(direct.status, 200);
      expect(await direct.json()).toStrictEqual({ ok: true });
      const followed = await outbound.fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${port}/next`)}`);
      assert.equal(followed.status, 200);
      assert.equal(requests.at(-1), '/next');
      for (const target of ['https://169.254.169.254/latest/meta-data/', 'https://[::ffff:10.0.0.1]/', 'https://internal.example/', `https://ula.example:${port}/`, 'http://public.example/']) {
        const start = requests.length;
        await assert.rejects(outbound.fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(target)}`), (error: unknown) => {
          const refusal = error instanceof OutboundRequestRefused ? error : (error as { cause?: unknown }).cause;
          assert.ok(refusal instanceof OutboundRequestRefused, `${target}: ${String(error)}`);
          return true;
        });
        assert.equal(requests.length, start + 1, `only the redirecting request was served for ${target}`);
      }
      const manual = await outbound.fetch(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent('https://10.0.0.1/')}`, { redirect: 'manual' });
      assert.equal(manual.status, 302, 'a manual redirect is handed back, not followed');
      await refused(outbound, `https://10.0.0.1:${port}/`, /special-use/);
    } finally {
      await outbound.onModuleDestroy();
    }
  });
});

describe('OutboundHttp response size', () => {
  it('cuts off bodies over the limit, declared or streamed', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/declared') return res.writeHead(200, { 'content-length': '50000' }).end('x'.repeat(50_000));
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write('x'.repeat(10_000));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const outbound = new OutboundHttp({ allowLoopback: true, maxResponseBytes: 20_000 });
    try {
      await assert.rejects(outbound.fetch(`${origin}/declared`), /response larger than 20000 bytes/);
      const streamed = await outbound.fetch(`${origin}/streamed`);
      assert.equal(streamed.status, 200);
      await assert.rejects(streamed.text(), (error: unknown) => /response larger than 20000 bytes/.test(String((error as Error).message ?? error)));
    } finally {
      await outbound.onModuleDestroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('destinationProblem (configuration-time check of an IdP issuer)', () => {
  it('names the problem of a host that resolves to an internal address, and accepts public or unresolvable ones', async () => {
    assert.match((await destinationProblem(new URL('https://internal.example'), { lookup: standInDns })) ?? '', /internal\.example resolves to 10\.0\.0\.5/);
    assert.match((await destinationProblem(new URL('https://localhost'))) ?? '', /special-use/);
    assert.match((await destinationProblem(new URL('https://[::ffff:169.254.169.254]'))) ?? '', /special-use/);
    assert.equal(await destinationProblem(new URL('https://public.example'), { lookup: standInDns }), undefined);
    assert.equal(await destinationProblem(new URL('https://nowhere.example'), { lookup: standInDns }), undefined);
    assert.equal(await destinationProblem(new URL('http://127.0.0.1:8080'), { allowLoopback: true }), undefined);
  });
});
