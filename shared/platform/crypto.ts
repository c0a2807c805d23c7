import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** A sealed secret as stored: AES-256-GCM with a 96-bit IV and a 128-bit tag, all base64. */
export interface Sealed {
  v: 1;
  iv: string;
  ct: string;
  tag: string;
}

const TAG_BYTES = 16;

export class DecryptError extends Error {
  constructor(reason: string) {
    super(`Could not decrypt: ${reason}`);
    this.name = 'DecryptError';
  }
}

/**
 * Encrypts a secret (a page access token) bound to `aad`, for example `tenantId|pageId`: a copy
 * pasted onto another tenant's or page's record fails to decrypt.
 */
export function seal(plaintext: string, key: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Decrypts a sealed secret, refusing a truncated tag (GCM would otherwise accept short tags). */
export function unseal(sealed: Sealed, key: Buffer, aad: string): string {
  const tag = Buffer.from(sealed.tag, 'base64');
  if (tag.length !== TAG_BYTES) throw new DecryptError('authentication tag must be 16 bytes');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptError('authentication failed');
  }
}

/** The token key from settings (a Key Vault reference in Azure). */
export function tokenKey(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}

/**
 * The keyed one-way reference of a subject id: HMAC-SHA256 under PSEUDONYM_KEY (§10). A plain hash
 * could be recomputed by anyone who holds the raw id (Meta, the business, a leaked list); this one
 * only with the key.
 */
export function keyedRef(key: string, kind: string, id: string): string {
  return keyedDigest(key, kind, id).toString('base64url').slice(0, 43);
}

/** The HMAC-SHA256 under `key` of an id of some kind, that `keyedRef` and keyed confirmation codes are written from. */
export function keyedDigest(key: string, kind: string, id: string): Buffer {
  return createHmac('sha256', key).update(`${kind}|${id}`).digest();
}
