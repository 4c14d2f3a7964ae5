import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { publicHttpsUrlProblem } from './identifiers';

describe('publicHttpsUrlProblem (URLs fetched on a tenant or client say-so)', () => {
  it('accepts https URLs of public host names on the default port', () => {
    for (const url of ['https://login.example.com', 'https://idp.acme.example/realms/main']) assert.equal(publicHttpsUrlProblem(url, false, 'issuers'), undefined, url);
  });

  it('refuses other schemes, IP literals, local names and explicit ports', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://login.example.com', /https/],
      ['not a url', /URLs/],
      ['https://10.0.0.7', /public host/],
      ['https://169.254.169.254/latest', /public host/],
      ['https://[::1]', /public host/],
      ['https://localhost', /public host/],
      ['https://metadata.internal', /public host/],
      ['https://printer', /public host/],
      ['https://kubernetes.default.svc', /public host/],
      ['https://localhost./x', /public host/],
      ['https://idp.example:8443', /default https port/],
    ];
    for (const [url, problem] of cases) assert.match(publicHttpsUrlProblem(url, false, 'issuers') ?? '', problem, url);
  });

  it('lets loopback through only when development allows it', () => {
    assert.equal(publicHttpsUrlProblem('https://127.0.0.1:9443', true, 'issuers'), undefined);
    assert.match(publicHttpsUrlProblem('https://127.0.0.1:9443', false, 'issuers') ?? '', /public host|port/);
  });
});
