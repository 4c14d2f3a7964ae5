import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalHttpsServer {
  readonly origin: string;
  readonly caPem: string;
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * An HTTPS server on 127.0.0.1 with a throwaway self-signed certificate (made with openssl), serving
 * fixed JSON documents: stands in for a client's metadata document host such as chatgpt.com.
 */
export async function startLocalHttps(routes: Record<string, (origin: string) => { status?: number; body: string; headers?: Record<string, string> }>): Promise<LocalHttpsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const key = readFileSync(join(dir, 'key.pem'));
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const requests: string[] = [];
  let origin = '';
  const server: Server = createServer({ key, cert }, (req, res) => {
    requests.push(req.url ?? '');
    const route = routes[(req.url ?? '').split('?')[0]!];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const answer = route(origin);
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, caPem: cert, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
