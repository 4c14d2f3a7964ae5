import { OnModuleDestroy } from '@nestjs/common';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';

/**
 * Every HTTP request the platform makes on a tenant's or a client's say-so (IdP discovery, JWKS, token
 * endpoint; client metadata documents; anything oidc-provider fetches) goes through one OutboundHttp.
 * It refuses, before a byte is sent, any destination that is not a public unicast address: IP literals in
 * the URL (whatever form the URL parser normalized them from) and every address a host name resolves to
 * (checked in the connection's DNS lookup, so a name cannot resolve to one address when checked and
 * another when connected), and finally the connected socket's peer. Redirects are followed by hand, each
 * hop checked the same way.
 */
export interface OutboundHttpOptions {
  /**
   * Development and tests only (TESSERA_DEV_ALLOW_LOOPBACK_METADATA): loopback addresses (127.0.0.0/8,
   * ::1) and plain http to loopback hosts are allowed. Private, link-local and other special ranges never are.
   */
  readonly allowLoopback?: boolean;
  /** An extra CA (PEM) to trust: tests that serve https from loopback. */
  readonly ca?: string;
  /** Resolves host names (dns.lookup by default); tests stand in for DNS with it. */
  readonly lookup?: LookupFunction;
  /** Per request unless the caller passes its own signal. */
  readonly timeoutMs?: number;
  readonly maxRedirects?: number;
  /** Bodies larger than this are cut off with an error (1 MB by default): a hostile server cannot fill memory. */
  readonly maxResponseBytes?: number;
}

export class OutboundRequestRefused extends Error {
  constructor(readonly reason: string) {
    super(`outbound request refused: ${reason}`);
    this.name = 'OutboundRequestRefused';
  }
}

/** IANA special-purpose ranges (RFC 6890 and successors), multicast and reserved space: never a tenant's server. */
// Two lists: a BlockList checks an IPv4 address against IPv6 rules as ::ffff:a.b.c.d, which ::/8 would hold.
const SPECIAL_USE_V4 = new BlockList();
const SPECIAL_USE_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.31.196.0', 24], ['192.52.193.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['192.175.48.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) SPECIAL_USE_V4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  // ::/8 holds the unspecified and loopback addresses and the IPv4-mapped and -compatible forms (all refused).
  ['::', 8], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16],
  ['3fff::', 20], ['5f00::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) SPECIAL_USE_V6.addSubnet(network, prefix, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Why the platform must not connect to this IP address on someone's say-so, or undefined when it may. */
export function addressProblem(address: string, allowLoopback = false): string | undefined {
  const family = isIP(address);
  if (family === 0) return `"${address.slice(0, 100)}" is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allowLoopback && LOOPBACK.check(address, type)) return undefined;
  if ((family === 4 ? SPECIAL_USE_V4 : SPECIAL_USE_V6).check(address, type)) return `${address} is a loopback, private, link-local or other special-use address`;
  return undefined;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export class OutboundHttp implements OnModuleDestroy {
  private readonly allowLoopback: boolean;
  private readonly dispatcher: Agent;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly maxResponseBytes: number;

  constructor(options: OutboundHttpOptions = {}) {
    this.allowLoopback = options.allowLoopback ?? false;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRedirects = options.maxRedirects ?? 3;
    this.maxResponseBytes = options.maxResponseBytes ?? 1_000_000;
    const connector = buildConnector({ ...(options.ca ? { ca: options.ca } : {}), lookup: guardedLookup(options.lookup ?? (dnsLookup as LookupFunction), this.allowLoopback), timeout: this.timeoutMs });
    this.dispatcher = new Agent({
      connect: (connectOptions, callback) => {
        // net.connect skips the lookup for IP literals: check them here.
        const host = connectOptions.hostname.replace(/^\[|\]$/g, '');
        const literal = isIP(host) ? addressProblem(host, this.allowLoopback) : undefined;
        if (literal) return callback(new OutboundRequestRefused(literal), null);
        connector(connectOptions, (error, socket) => {
          if (error || !socket) return callback(error ?? new OutboundRequestRefused('no connection'), null);
          const peer = socket.remoteAddress === undefined ? 'no peer address' : addressProblem(socket.remoteAddress, this.allowLoopback);
          if (peer) {
            socket.destroy();
            return callback(new OutboundRequestRefused(peer), null);
          }
          callback(null, socket);
        });
      },
    });
  }

  /**
   * fetch() with the guard, for openid-client's `customFetch` and oidc-provider's `fetch`. Redirects are
   * followed here (GET and HEAD only), each hop checked; with `redirect: 'manual'` the 3xx is returned.
   */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('OutboundHttp.fetch takes a URL and options, not a Request');
    let url = new URL(input);
    const method = (init.method ?? 'GET').toUpperCase();
    for (let hop = 0; ; hop++) {
      const problem = urlProblem(url, this.allowLoopback);
      if (problem) throw new OutboundRequestRefused(problem);
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        signal: init.signal ?? AbortSignal.timeout(this.timeoutMs),
        dispatcher: this.dispatcher,
      } as RequestInit);
      const location = response.headers.get('location');
      const mayFollow = init.redirect !== 'manual' && (method === 'GET' || method === 'HEAD');
      if (!REDIRECTS.has(response.status) || !location || !mayFollow) return this.sizeLimited(response);
      await response.body?.cancel();
      if (init.redirect === 'error') throw new OutboundRequestRefused(`unexpected redirect from ${url.origin}`);
      if (hop >= this.maxRedirects) throw new OutboundRequestRefused(`more than ${this.maxRedirects} redirects`);
      url = new URL(location, url);
    }
  };

  private sizeLimited(response: Response): Response {
    const max = this.maxResponseBytes;
    if (Number(response.headers.get('content-length')) > max) {
      void response.body?.cancel();
      throw new OutboundRequestRefused(`response larger than ${max} bytes`);
    }
    if (!response.body || NULL_BODY_STATUSES.has(response.status)) return response;
    let seen = 0;
    const cut = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > max) controller.error(new OutboundRequestRefused(`response larger than ${max} bytes`));
        else controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(cut), { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup that resolves every address of a name and refuses the name if any of them is special-use. */
function guardedLookup(resolve: LookupFunction, allowLoopback: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error: NodeJS.ErrnoException | null, addresses: string | LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const list = Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }];
      if (list.length === 0) return callback(new OutboundRequestRefused(`${hostname.slice(0, 100)} has no address`), '', 0);
      for (const { address } of list) {
        const problem = addressProblem(address, allowLoopback);
        if (problem) return callback(new OutboundRequestRefused(`${hostname.slice(0, 100)} resolves to ${problem}`), '', 0);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * For configuration time (a tenant saving its IdP): what is wrong with fetching this URL, resolving its
 * host now. A name that does not resolve (yet) is not an error here; every connection is checked again.
 */
export async function destinationProblem(url: URL, options: Pick<OutboundHttpOptions, 'allowLoopback' | 'lookup'> = {}): Promise<string | undefined> {
  const allowLoopback = options.allowLoopback ?? false;
  const problem = urlProblem(url, allowLoopback);
  if (problem || isIP(url.hostname.replace(/^\[|\]$/g, ''))) return problem;
  const lookup = guardedLookup(options.lookup ?? (dnsLookup as LookupFunction), allowLoopback);
  return new Promise((resolve) => {
    lookup(url.hostname, { all: true }, (error) => resolve(error instanceof OutboundRequestRefused ? error.reason : undefined));
  });
}

/** What is wrong with a URL before any connection: the scheme, credentials, and a host that is an IP literal. */
function urlProblem(url: URL, allowLoopback: boolean): string | undefined {
  const loopbackHost = LOOPBACK_NAMES.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowLoopback && loopbackHost)) {
    return `${url.protocol.replace(/:$/, '').slice(0, 20)} URLs are not fetched; use https`;
  }
  if (url.username || url.password) return 'URLs with credentials are not fetched';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? addressProblem(host, allowLoopback) : undefined;
}
