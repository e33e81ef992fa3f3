import type { ConsentEvent } from '../ledger/consent-event.entity';

export function presentEntry(entry: ConsentEvent & { disclosureVersion?: number | null }) {
  return {
    id: entry.id,
    seq: Number(entry.seq),
    kind: entry.kind,
    contactId: entry.contactId,
    phone: entry.phone,
    phoneHash: entry.phoneHash,
    messageType: entry.messageType,
    state: entry.state,
    source: entry.source,
    evidence: entry.evidence,
    disclosureId: entry.disclosureId,
    ...(entry.disclosureVersion !== undefined && { disclosureVersion: entry.disclosureVersion }),
    flowId: entry.flowId,
    campaignId: entry.campaignId,
    actor: entry.actor,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

export const ENTRY_EXAMPLE = {
  id: '8a1c2b3d-5a53-4a0b-9d2c-2f7a4b1b9e10',
  seq: 42,
  kind: 'consent',
  contactId: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  phone: '+14155550100',
  phoneHash: '5b0e…',
  messageType: 'marketing',
  state: 'opted_in',
  source: 'web_form',
  evidence: { formId: 'footer-signup', pageUrl: 'https://acme.test/', ip: '203.0.113.9', userAgent: 'Mozilla/5.0…', checkbox: true },
  disclosureId: '0d5e1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  disclosureVersion: 3,
  flowId: null,
  campaignId: null,
  actor: null,
  occurredAt: '2026-11-22T08:55:00.000Z',
  recordedAt: '2026-11-22T08:55:00.120Z',
  prevHash: '9f2a…',
  hash: 'c41d…',
};
