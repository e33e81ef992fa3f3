import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** A secret as stored at rest: AES-256-GCM ciphertext with the id of the key that made it. */
export interface SealedSecret {
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export function parseKey(material: string): Buffer {
  const key = /^[A-Fa-f0-9]{64}$/.test(material) ? Buffer.from(material, 'hex') : Buffer.from(material, 'base64');
  if (key.length !== 32) throw new Error('an encryption key must be 32 bytes');
  return key;
}

/** A short, stable id for a key, so sealed secrets say which key opens them. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Seals and opens secrets (plugin credentials, provider tokens). New secrets are always sealed
 * with the current key; older keys are kept only to open what they sealed, so keys can rotate.
 */
export class SecretBox {
  private readonly byId = new Map<string, Buffer>();

  private readonly hashKey: Buffer;

  /**
   * @param hashKeyMaterial the key of `keyedHash`. It must outlive encryption-key rotations
   * (hashes on the suppression list are compared forever), so it is configured on its own and
   * only defaults to one derived from the current encryption key.
   */
  constructor(
    private readonly current: EncryptionKey,
    previous: EncryptionKey[] = [],
    hashKeyMaterial?: Buffer,
  ) {
    for (const k of [current, ...previous]) this.byId.set(k.id, k.key);
    this.hashKey = createHmac('sha256', hashKeyMaterial ?? current.key).update('optline:keyed-hash:v1').digest();
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plain: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { keyId: this.current.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  open(sealed: SealedSecret): string {
    const key = this.byId.get(sealed.keyId);
    if (!key) throw new Error(`no encryption key with id ${sealed.keyId} is configured; add it to OPTLINE_PREVIOUS_ENCRYPTION_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  }

  sealJson(value: unknown): SealedSecret {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: SealedSecret): T {
    return JSON.parse(this.open(sealed)) as T;
  }

  /**
   * A keyed hash (HMAC-SHA256) for values we must match but not keep, such as the phone of an
   * erased contact on the suppression list; not guessable from a phone number alone.
   */
  keyedHash(value: string): string {
    return createHmac('sha256', this.hashKey).update(value).digest('hex');
  }
}
