import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { connectorUrl, type WorkspaceContext } from '@tessera/domain';
import type { OidcModelRepository } from '@tessera/persistence';
import { InvalidationEvents, type PlatformConfig } from '@tessera/server';
import type { GatewayConfig } from '../config/gateway-config';
import { JwtAccessTokenVerifier } from './jwt-access-token.verifier';

const PUBLIC_URL = 'http://127.0.0.1:8080';
const ISSUER = 'http://127.0.0.1:8080';
const HANDBOOK = workspace('ws-handbook', 'handbook');
const FINANCE = workspace('ws-finance', 'finance');

function workspace(workspaceId: string, workspaceSlug: string): WorkspaceContext {
  return { workspaceId, workspaceSlug, workspaceName: workspaceSlug, tenantId: 't', tenantSlug: 'acme', tenantName: 'Acme', settings: { searchResultLimit: 10 } };
}

describe('JwtAccessTokenVerifier', () => {
  let jwks: Server;
  let jwksUrl: string;
  let sign: (claims: Record<string, unknown>, expiresIn?: string) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
    sign = (claims, expiresIn = '5m') =>
      new SignJWT({ client_id: 'chatgpt', scope: 'search fetch', gid: 'grant-1', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setSubject('ana')
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey);
  });
  afterAll(() => {
    jwks.close();
  });

  /** A verifier over a grant table; `grants.reads` counts database reads, `grants.answered` holds them back. */
  function verifier(events = new InvalidationEvents()) {
    const grants = { active: true, withdrawn: new Set<string>(), reads: 0, answered: Promise.resolve() };
    const models = {
      grantCovers: async (_grantId: string, resource: string) => {
        grants.reads++;
        const active = grants.active && !grants.withdrawn.has(resource);
        await grants.answered;
        return active;
      },
    } as unknown as OidcModelRepository;
    const platform = { publicUrl: PUBLIC_URL } as PlatformConfig;
    const config: GatewayConfig = { issuer: ISSUER, maxRequestBytes: 1 << 20, jwksUrl };
    return { verifier: new JwtAccessTokenVerifier(platform, config, models, events), grants, events };
  }
  const audience = (ctx: WorkspaceContext) => connectorUrl(PUBLIC_URL, ctx.tenantSlug, ctx.workspaceSlug);

  it('verifies the signature once, then answers repeat requests at once with the same principal', async () => {
    const { verifier: v } = verifier();
    const token = await sign({ aud: audience(HANDBOOK) });
    const first = await v.verify(token, HANDBOOK);
    assert.equal(first?.subject, 'ana');
    const second = v.verify(token, HANDBOOK);
    assert.ok(!(second instanceof Promise), 'a verified token is answered synchronously');
    expect(second).toStrictEqual(first);
  });

  it("refuses a cached token at another workspace's connector", async () => {
    const { verifier: v } = verifier();
    const token = await sign({ aud: audience(HANDBOOK) });
    assert.ok(await v.verify(token, HANDBOOK));
    assert.equal(await v.verify(token, FINANCE), null);
    assert.ok(await v.verify(token, HANDBOOK), 'still valid where it belongs');
  });

  it('refuses a cached token as soon as its grant is revoked', async () => {
    const { verifier: v, grants, events } = verifier();
    const token = await sign({ aud: audience(HANDBOOK) });
    assert.ok(await v.verify(token, HANDBOOK));
    grants.active = false;
    events.grantRevoked('grant-1');
    assert.equal(await v.verify(token, HANDBOOK), null);
  });

  it("refuses a token for a workspace its grant no longer covers, and keeps the grant's token for another", async () => {
    const { verifier: v, grants, events } = verifier();
    const here = await sign({ aud: audience(HANDBOOK) });
    const there = await sign({ aud: audience(FINANCE) });
    assert.ok(await v.verify(here, HANDBOOK));
    assert.ok(await v.verify(there, FINANCE));
    grants.withdrawn.add(audience(HANDBOOK));
    events.grantRevoked('grant-1', audience(HANDBOOK));
    assert.equal(await v.verify(here, HANDBOOK), null);
    assert.ok(await v.verify(there, FINANCE), 'the same grant still stands for the other workspace');
    const fresh = verifier();
    fresh.grants.withdrawn.add(audience(HANDBOOK));
    assert.equal(await fresh.verifier.verify(here, HANDBOOK), null, 'read from the grant table too, not only from the event');
    assert.ok(await fresh.verifier.verify(there, FINANCE));
  });

  it('keeps a revocation that arrives while the grant is being read', async () => {
    const { verifier: v, grants, events } = verifier();
    const token = await sign({ aud: audience(HANDBOOK) });
    let answer = () => undefined as void;
    grants.answered = new Promise<void>((resolve) => (answer = resolve));
    const verifying = v.verify(token, HANDBOOK);
    while (grants.reads === 0) await new Promise((resolve) => setImmediate(resolve));
    events.grantRevoked('grant-1'); // the read saw the grant active; the revocation comes before its answer
    answer();
    assert.equal(await verifying, null);
    assert.equal(await v.verify(token, HANDBOOK), null);
  });

  it('refuses an expired token, and a token for another audience, without caching them', async () => {
    const { verifier: v } = verifier();
    assert.equal(await v.verify(await sign({ aud: audience(HANDBOOK) }, '-10s'), HANDBOOK), null);
    const foreign = await sign({ aud: `${PUBLIC_URL}/mcp/other/handbook` });
    assert.equal(await v.verify(foreign, HANDBOOK), null);
    assert.ok(v.verify(foreign, HANDBOOK) instanceof Promise, 'a refused token is checked again, never remembered');
  });

  it('accepts only three-segment tokens that look like JWTs', () => {
    const { verifier: v } = verifier();
    assert.equal(v.accepts('eyJa.b.c'), true);
    assert.equal(v.accepts('eyJa..'), true);
    for (const token of ['eyJa.b', 'eyJa.b.c.d', 'tsr_a.b.c', 'eyJabc']) assert.equal(v.accepts(token), false, token);
  });
});
