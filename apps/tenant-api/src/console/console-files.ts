import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The built SPA: apps/console/dist beside the sources, dist/apps/console/dist in a build. */
export const CONSOLE_DIST = resolve(__dirname, '../../../console/dist');

/**
 * Every console response: scripts and styles only from this origin (no inline code), no framing, no
 * plugins, no base-URI or form-target tricks; fetches only to this origin.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface ConsoleFile {
  readonly body: Buffer;
  readonly type: string;
  readonly cacheControl: string;
}

/**
 * The file for a path under /console: hashed build assets (cached for a year, immutable), else the
 * SPA's index.html (never cached, so a new release is picked up at once). Undefined when not built.
 */
export function consoleFile(relativePath: string, root = CONSOLE_DIST): ConsoleFile | undefined {
  const clean = normalize(`/${relativePath}`).slice(1);
  if (clean.startsWith('assets/')) {
    const full = join(root, clean);
    if (!full.startsWith(root + sep) || !existsSync(full)) return undefined;
    return { body: readFileSync(full), type: TYPES[extname(full)] ?? 'application/octet-stream', cacheControl: 'public, max-age=31536000, immutable' };
  }
  const index = join(root, 'index.html');
  if (!existsSync(index)) return undefined;
  return { body: readFileSync(index), type: 'text/html; charset=utf-8', cacheControl: 'no-cache' };
}
