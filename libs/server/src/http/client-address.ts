import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * Which peers may tell us who the client is (X-Forwarded-For) and how it connected (X-Forwarded-Proto,
 * -Host). Parsed from TRUST_PROXY by the platform configuration; nothing is trusted by default.
 */
export type TrustProxySetting =
  | { readonly kind: 'none' }
  /** The nearest N hops (the socket peer first) are proxies, whoever they are. */
  | { readonly kind: 'hops'; readonly hops: number }
  /** Only peers at these addresses, CIDR ranges or proxy-addr names (loopback, linklocal, uniquelocal) are proxies. */
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] };

export const TRUST_NOTHING: TrustProxySetting = { kind: 'none' };

/** The same function express compiles for its `trust proxy` setting: (address, hop index) → is a proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

const MAX_HOPS = 99;

/** Returns the setting, or a sentence saying what is wrong with the value (the caller names the variable). */
export function parseTrustProxy(value: string | undefined): TrustProxySetting | { readonly problem: string } {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return TRUST_NOTHING;
  if (text === 'true') {
    return { problem: 'must not be "true" (that trusts X-Forwarded-For from anyone); give the number of proxy hops or their addresses' };
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_HOPS) return { problem: `must be a hop count of at most ${MAX_HOPS}, got ${text}` };
    return { kind: 'hops', hops };
  }
  const addresses = text.split(',').map((entry) => entry.trim());
  if (addresses.some((entry) => entry === '')) return { problem: `has an empty entry in "${text}"` };
  try {
    proxyAddr.compile(addresses);
  } catch (error) {
    return { problem: `must be a hop count or a comma-separated list of IP addresses or CIDR ranges: ${(error as Error).message}` };
  }
  return { kind: 'addresses', addresses };
}

/**
 * The one rule for where a request comes from, used by express (`trust proxy`), by the authorization
 * server's koa context (`ctx.ip`) and by every per-address limit.
 */
export class ClientAddressRule {
  readonly trust: TrustFunction;

  constructor(readonly setting: TrustProxySetting) {
    this.trust = compileTrust(setting);
  }

  /** The socket peer, or, when it is a trusted proxy, the nearest address in X-Forwarded-For that is not. */
  clientAddress(req: IncomingMessage): string {
    return proxyAddr(req as Parameters<typeof proxyAddr>[0], this.trust);
  }

  /** Forwarded headers count only when the socket peer is itself a trusted proxy. */
  peerIsTrustedProxy(req: IncomingMessage): boolean {
    const peer = req.socket.remoteAddress;
    return peer !== undefined && this.trust(peer, 0);
  }

  /**
   * Removes the forwarded headers of a request whose peer is not a trusted proxy, so that no code
   * further in (express, koa, raw handlers) can be told another protocol, host or client address.
   */
  dropUntrustedForwardedHeaders(req: IncomingMessage): void {
    if (this.setting.kind !== 'none' && this.peerIsTrustedProxy(req)) return;
    for (const name of FORWARDED_HEADERS) if (req.headers[name] !== undefined) delete req.headers[name];
  }
}

const FORWARDED_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip'];

function compileTrust(setting: TrustProxySetting): TrustFunction {
  switch (setting.kind) {
    case 'none':
      return () => false;
    case 'hops':
      return (_address, hop) => hop < setting.hops;
    case 'addresses':
      return proxyAddr.compile([...setting.addresses]);
  }
}
