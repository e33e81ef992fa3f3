import { hashPassword, needsRehash, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('checks old hashes with the parameters stored beside them', async () => {
    const stored = await hashPassword('parameters travel');
    const weaker = stored.replace('$32768$', '$16384$');
    // Same salt, different N: a different key, so the check fails rather than silently using today's N.
    await expect(verifyPassword('parameters travel', weaker)).resolves.toBe(false);
    expect(needsRehash(weaker)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('refuses malformed or absurdly expensive hashes without computing them', async () => {
    await expect(verifyPassword('x', 'sha256$abc')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$1073741824$8$1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA')).resolves.toBe(false);
  });
});
