import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Seals secrets we must be able to read back (a tenant IdP's client secret) with AES-256-GCM under a
 * key derived from the platform's encryption key. Format: v1.<iv>.<tag>.<ciphertext>, base64url.
 * Rotation: seal under the new key, and keep the old ones as `previous` until nothing sealed under them
 * remains; GCM's tag tells which key a ciphertext was sealed with.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly openers: readonly Buffer[];

  constructor(secret: string, previous: readonly string[] = []) {
    this.key = boxKey(secret);
    this.openers = [this.key, ...previous.map(boxKey)];
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Opens a secret sealed under the current key or any previous one; throws if none of them sealed it. */
  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed secret');
    for (const key of this.openers) {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // Not sealed under this key (or tampered with): try the next one.
      }
    }
    throw new Error('the sealed secret does not open with the current or any previous encryption key');
  }
}

function boxKey(secret: string): Buffer {
  return createHash('sha256').update(`tessera:secret-box:v1:${secret}`).digest();
}
