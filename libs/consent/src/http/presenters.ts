import type { ConsentEvent } from '../ledger/consent-event.entity';
import type { ConsentEntryResponseDto } from './consent.responses';

export function presentEntry(entry: ConsentEvent & { disclosureVersion?: number | null }): ConsentEntryResponseDto {
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
