import { randomBytes } from 'node:crypto';
import { keyIdOf, SecretBox } from './secret-box';

const key = (k = randomBytes(32)) => ({ id: keyIdOf(k), key: k });

describe('SecretBox', () => {
  it('seals so the plaintext is not visible, and opens it again', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('shpat_super_secret');
    expect(JSON.stringify(sealed)).not.toContain('shpat_super_secret');
    expect(box.open(sealed)).toBe('shpat_super_secret');
  });

  it('opens secrets sealed by a previous key after rotation, and seals new ones with the current key', () => {
    const oldKey = key();
    const sealedBefore = new SecretBox(oldKey).seal('token');
    const rotated = new SecretBox(key(), [oldKey]);
    expect(rotated.open(sealedBefore)).toBe('token');
    expect(rotated.seal('x').keyId).toBe(rotated.currentKeyId);
    expect(rotated.currentKeyId).not.toBe(oldKey.id);
  });

  it('refuses a tampered ciphertext', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('token');
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    expect(() => box.open({ ...sealed, data: data.toString('base64') })).toThrow();
  });

  it('keeps keyed hashes stable across a rotation when the hash key is pinned', () => {
    const hashKey = randomBytes(32);
    const before = new SecretBox(key(), [], hashKey).keyedHash('+14155550100');
    const after = new SecretBox(key(), [], hashKey).keyedHash('+14155550100');
    expect(after).toBe(before);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
  });
});
