import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy that adds a bearer token, as an MCP client holding a workspace access token
 * would, and forwards everything else as sent: method, path, Host, Origin, every other header and
 * the body, and the answer byte for byte. For clients that send no token (the official conformance
 * suite). It listens before it knows where to forward (`forwardTo`), so the platform behind it can
 * be configured with the proxy's own origin.
 */
export async function startTokenProxy(): Promise<{ port: number; forwardTo(target: string, token: string): void; close(): Promise<void> }> {
  let upstream: URL | undefined;
  let bearer = '';
  const server: Server = createServer((req, res) => {
    if (!upstream) return void res.writeHead(503).end();
    const headers = { ...req.headers, authorization: `Bearer ${bearer}` };
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, setHost: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    forwardTo(target, token) {
      upstream = new URL(target);
      bearer = token;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
