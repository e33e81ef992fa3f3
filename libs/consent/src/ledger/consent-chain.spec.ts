import { SecretBox } from '@optline/core';
import { ChainedFields, ConsentChainHasher, GENESIS_HASH, storableEvidence } from './consent-chain';

const box = new SecretBox({ id: 'k1', key: Buffer.alloc(32, 7) });
const otherBox = new SecretBox({ id: 'k2', key: Buffer.alloc(32, 8) });

const entry: ChainedFields = {
  workspaceId: 'w1',
  seq: '1',
  id: 'e1',
  kind: 'consent',
  contactId: 'c1',
  phoneHash: 'ph',
  messageType: 'marketing',
  state: 'opted_in',
  source: 'web_form',
  evidence: { ip: '203.0.113.9', form: { consent: true, email: 'a@b.c' } },
  disclosureId: null,
  flowId: null,
  campaignId: null,
  actor: null,
  occurredAt: new Date('2026-11-22T08:00:00.000Z'),
  recordedAt: new Date('2026-11-22T08:00:01.000Z'),
};

describe('ConsentChainHasher', () => {
  const hasher = new ConsentChainHasher(box);

  it('changes when any protected field or the previous hash changes', () => {
    const base = hasher.hash(entry, GENESIS_HASH);
    expect(hasher.hash({ ...entry }, GENESIS_HASH)).toBe(base);
    expect(hasher.hash({ ...entry, state: 'opted_out' }, GENESIS_HASH)).not.toBe(base);
    expect(hasher.hash({ ...entry, evidence: { ...entry.evidence, ip: '203.0.113.10' } }, GENESIS_HASH)).not.toBe(base);
    expect(hasher.hash({ ...entry, occurredAt: new Date('2026-11-22T08:00:00.001Z') }, GENESIS_HASH)).not.toBe(base);
    expect(hasher.hash(entry, 'f'.repeat(64))).not.toBe(base);
  });

  it('does not depend on the key order of the evidence', () => {
    expect(hasher.hash({ ...entry, evidence: { form: { email: 'a@b.c', consent: true }, ip: '203.0.113.9' } }, GENESIS_HASH)).toBe(
      hasher.hash(entry, GENESIS_HASH),
    );
  });

  it('cannot be recomputed without the hub key', () => {
    expect(new ConsentChainHasher(otherBox).hash(entry, GENESIS_HASH)).not.toBe(hasher.hash(entry, GENESIS_HASH));
  });
});

describe('storableEvidence', () => {
  it('gives back what jsonb would store', () => {
    expect(storableEvidence({ at: new Date('2026-01-01T00:00:00Z'), skip: undefined, text: 'a\u0000b', n: 1 })).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      text: 'ab',
      n: 1,
    });
    expect(storableEvidence(undefined)).toEqual({});
  });
});
