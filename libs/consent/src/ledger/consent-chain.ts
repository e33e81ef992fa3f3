import { Injectable } from '@nestjs/common';
import { canonicalJson, SecretBox } from '@optline/core';

/** The chain starts from this "previous hash". */
export const GENESIS_HASH = '0'.repeat(64);

/** Every field of a ledger entry the chain protects (all but the blankable phone). */
export interface ChainedFields {
  workspaceId: string;
  seq: string;
  id: string;
  kind: string;
  contactId: string | null;
  phoneHash: string;
  messageType: string | null;
  state: string | null;
  source: string;
  evidence: Record<string, unknown>;
  disclosureId: string | null;
  flowId: string | null;
  campaignId: string | null;
  actor: string | null;
  occurredAt: Date;
  recordedAt: Date;
}

/** The exact text an entry's hash is computed over (version-tagged so the format can evolve). */
export function chainText(fields: ChainedFields, prevHash: string): string {
  return canonicalJson({
    v: 1,
    workspaceId: fields.workspaceId,
    seq: String(fields.seq),
    id: fields.id,
    kind: fields.kind,
    contactId: fields.contactId,
    phoneHash: fields.phoneHash,
    messageType: fields.messageType,
    state: fields.state,
    source: fields.source,
    evidence: fields.evidence,
    disclosureId: fields.disclosureId,
    flowId: fields.flowId,
    campaignId: fields.campaignId,
    actor: fields.actor,
    occurredAt: fields.occurredAt.toISOString(),
    recordedAt: fields.recordedAt.toISOString(),
    prevHash,
  });
}

/**
 * Makes evidence storable and hashable exactly: what is hashed is what Postgres's jsonb gives
 * back (dates as strings, no undefined, no NUL characters, which jsonb refuses).
 */
export function storableEvidence(evidence: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const text = JSON.stringify(evidence ?? {}, (_key, value: unknown) => (typeof value === 'string' ? value.split(String.fromCharCode(0)).join('') : value));
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
}

/**
 * The chain's hash: HMAC-SHA256 with the hub's hash key over the entry and its predecessor's
 * hash. Keyed, so someone with write access to the database alone cannot rewrite an entry and
 * recompute the chain after it (decision 0021).
 */
@Injectable()
export class ConsentChainHasher {
  constructor(private readonly secretBox: SecretBox) {}

  hash(fields: ChainedFields, prevHash: string): string {
    return this.secretBox.keyedHash(`consent-chain:${chainText(fields, prevHash)}`);
  }

  phoneHash(e164: string): string {
    return this.secretBox.keyedHash(e164);
  }
}
