import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { loadPlatformConfig } from '../config/platform-config';
import { ClientAddressRule, parseTrustProxy, type TrustProxySetting } from './client-address';

/** A request as it arrives: the socket peer and the headers (the rule reads nothing else). */
function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: { ...headers } } as unknown as IncomingMessage;
}

function rule(value: string): ClientAddressRule {
  const parsed = parseTrustProxy(value);
  assert.ok(!('problem' in parsed), value);
  return new ClientAddressRule(parsed as TrustProxySetting);
}

describe('TRUST_PROXY', () => {
  it('trusts nothing by default: X-Forwarded-For never names the client, and forwarded headers are dropped', () => {
    for (const value of [undefined, '', '0', 'false']) assert.deepEqual(parseTrustProxy(value), { kind: 'none' }, String(value));
    const addresses = rule('');
    const req = request('198.51.100.7', { 'x-forwarded-for': '203.0.113.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', forwarded: 'for=1.2.3.4' });
    assert.equal(addresses.clientAddress(req), '198.51.100.7');
    addresses.dropUntrustedForwardedHeaders(req);
    expect(Object.keys(req.headers)).toStrictEqual([]);
  });

  it('as a hop count, takes the address the nearest N proxies saw, whatever a client prepends', () => {
    const oneHop = rule('1');
    assert.equal(oneHop.clientAddress(request('10.0.0.2', { 'x-forwarded-for': '203.0.113.1' })), '203.0.113.1');
    assert.equal(oneHop.clientAddress(request('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.1' })), '203.0.113.1', 'a spoofed first entry is ignored');
    assert.equal(rule('2').clientAddress(request('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.1, 10.0.0.9' })), '203.0.113.1');
    const req = request('10.0.0.2', { 'x-forwarded-proto': 'https' });
    oneHop.dropUntrustedForwardedHeaders(req);
    assert.equal(req.headers['x-forwarded-proto'], 'https', 'the proxy may say how the client connected');
  });

  it('as addresses and CIDR ranges, trusts forwarded headers only from those peers', () => {
    const ingress = rule('10.0.0.0/8, fd00::/8');
    assert.equal(ingress.clientAddress(request('10.1.2.3', { 'x-forwarded-for': '203.0.113.1' })), '203.0.113.1');
    assert.equal(ingress.clientAddress(request('::ffff:10.1.2.3', { 'x-forwarded-for': '203.0.113.1' })), '203.0.113.1', 'IPv4-mapped peers match IPv4 ranges');
    assert.equal(ingress.clientAddress(request('fd00::5', { 'x-forwarded-for': '2001:db8::1' })), '2001:db8::1');
    assert.equal(ingress.clientAddress(request('198.51.100.7', { 'x-forwarded-for': '203.0.113.1' })), '198.51.100.7', 'a client talking directly');
    assert.equal(ingress.clientAddress(request('10.1.2.3', { 'x-forwarded-for': '203.0.113.1, 10.9.9.9' })), '203.0.113.1', 'chained proxies inside the range');
    const direct = request('198.51.100.7', { 'x-forwarded-host': 'evil.example' });
    ingress.dropUntrustedForwardedHeaders(direct);
    assert.equal(direct.headers['x-forwarded-host'], undefined);
    assert.equal(rule('loopback').clientAddress(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.1' })), '203.0.113.1');
  });

  it('refuses values that would trust everyone or are not addresses, naming the variable', () => {
    for (const value of ['true', '100', '10.0.0.0/33', 'proxy.internal', '10.0.0.1,,10.0.0.2', '1.2.3']) {
      assert.ok('problem' in parseTrustProxy(value), value);
      assert.throws(() => loadPlatformConfig({ TRUST_PROXY: value, TESSERA_ADMIN_TOKEN: 'x'.repeat(24) }, { allowGeneratedAdminToken: false }), /^ConfigError: configuration: TRUST_PROXY /, value);
    }
    expect(loadPlatformConfig({ TRUST_PROXY: '1', TESSERA_ADMIN_TOKEN: 'x'.repeat(24) }, { allowGeneratedAdminToken: false }).trustProxy).toStrictEqual({ kind: 'hops', hops: 1 });
  });
});
