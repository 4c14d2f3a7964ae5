import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { createLogger } from './logger';
import { redact, REDACTED } from './redaction';

/** A pino logger writing into an array, one parsed object per line. */
function capture(level = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, text: () => lines.join('') };
}

const SECRETS = {
  bearer: 'Bearer tsr_live_4f9a1c2e8b7d6a5f',
  cookie: '__Host-tessera_session=s3ss10n.c00k13',
  setCookie: 'tessera_interaction=1nt3r4ct10n; Path=/; HttpOnly',
  password: 'correct horse battery staple',
  clientSecret: 'cs_9d8c7b6a5f4e3d2c1b0a',
  accessToken: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJl',
  refreshToken: 'rt_0123456789abcdef0123456789abcdef',
  code: 'auth_code_Zx8Yw7Vu6Ts5',
  query: 'salary of the CEO and her home address',
  token: 'tsa_admin_token_value_xyz',
};

describe('log redaction', () => {
  it('never writes tokens, cookies, passwords, codes or queries, at any depth and in any key spelling', () => {
    const { logger, text } = capture();
    logger.info(
      {
        headers: { Authorization: SECRETS.bearer, cookie: SECRETS.cookie, 'Set-Cookie': [SECRETS.setCookie] },
        body: { email: 'ana@example.com', password: SECRETS.password, client_secret: SECRETS.clientSecret },
        oauth: { tokens: [{ access_token: SECRETS.accessToken, refreshToken: SECRETS.refreshToken }], code: SECRETS.code },
        search: { query: SECRETS.query, results: 3 },
        token: SECRETS.token,
      },
      'request handled',
    );
    logger.warn({ deep: { a: { b: { c: { d: { e: { password: SECRETS.password } } } } } } }, 'deep');
    logger.error({ err: Object.assign(new Error('upstream failed'), { config: { headers: { authorization: SECRETS.bearer } } }) }, 'failed');
    const out = text();
    for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!out.includes(secret), `${name} leaked: ${out}`);
    assert.ok(out.includes('ana@example.com'), 'non-sensitive fields stay');
    assert.ok(out.includes(REDACTED));
    assert.ok(out.includes('"results":3'));
  });

  it('cuts query strings from URL fields (OAuth codes, state, search text)', () => {
    const { logger, lines } = capture();
    logger.info({ url: `/oauth/federation/callback?code=${SECRETS.code}&state=abc`, location: new URL(`https://chatgpt.com/cb?code=${SECRETS.code}`) }, 'redirect');
    const line = JSON.parse(lines[0]!) as { url: string; location: string };
    assert.equal(line.url, `/oauth/federation/callback?${REDACTED}`);
    assert.equal(line.location, `https://chatgpt.com/cb?${REDACTED}`);
  });

  it('keeps an error’s type, message, stack and system code, and redacts what it carries', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', query: 'SELECT … WHERE q = $1', parameters: [SECRETS.query] });
    logger.error({ err: error, errorId: 'e-1' }, 'search backend failed');
    const line = JSON.parse(lines[0]!) as { err: Record<string, unknown>; errorId: string };
    assert.equal(line.err.type, 'Error');
    assert.equal(line.err.message, 'connect ECONNREFUSED');
    assert.match(String(line.err.stack), /redaction\.spec/);
    assert.equal(line.err.code, 'ECONNREFUSED');
    assert.equal(line.err.query, REDACTED);
    assert.equal(line.err.parameters, REDACTED);
    assert.equal(line.errorId, 'e-1');
  });

  it('redacts errors logged under other keys too', () => {
    const { logger, text } = capture();
    logger.warn({ error: Object.assign(new Error('bad'), { token: SECRETS.token }) }, 'x');
    assert.ok(!text().includes(SECRETS.token));
    assert.ok(text().includes('"message":"bad"'));
  });

  it('redacts child-logger bindings', () => {
    const { logger, text } = capture();
    logger.child({ authorization: SECRETS.bearer }).info('child');
    assert.ok(!text().includes(SECRETS.bearer));
  });

  it('does not mutate what it is given, copies only what changes, and survives cycles and shared references', () => {
    const headers = { authorization: SECRETS.bearer, accept: 'application/json' };
    const input = { a: headers, b: headers, clean: { x: 1 } };
    const output = redact(input);
    assert.equal(input.a.authorization, SECRETS.bearer);
    assert.equal(output.a.authorization, REDACTED);
    assert.equal(output.b.authorization, REDACTED);
    assert.equal(output.clean, input.clean);
    const clean = { x: { y: [1, 2, { z: 'ok' }] } };
    assert.equal(redact(clean), clean);
    const cyclic: Record<string, unknown> = { password: SECRETS.password };
    cyclic.self = cyclic;
    const { logger, text } = capture();
    logger.info({ cyclic }, 'cycle');
    assert.ok(!text().includes(SECRETS.password));
  });

  it('honours LOG_LEVEL semantics: silent writes nothing, warn drops info', () => {
    const silent = capture('silent');
    silent.logger.error('nothing');
    assert.equal(silent.lines.length, 0);
    const warn = capture('warn');
    warn.logger.info('dropped');
    warn.logger.warn('kept');
    assert.equal(warn.lines.length, 1);
    const unknown = capture('verbose-ish');
    assert.equal(unknown.logger.level, 'info');
  });
});
