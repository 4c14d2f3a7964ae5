import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Secrets we issue carry a readable prefix (so leaks are recognizable) and 256 bits of randomness. */
export function generateSecret(prefix: 'tsk' | 'tsr' | 'tsa' | 'tss'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** High-entropy secrets need no slow hash: SHA-256 is what is stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function constantTimeEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * The console client's secret at the authorization server, derived from the admin token that the auth app
 * and the tenant API both hold, so a deployment needs no extra secret and the browser never sees it.
 */
export function consoleClientSecret(adminToken: string): string {
  return createHmac('sha256', adminToken).update('tessera:console-client:v1').digest('base64url');
}
