/** The kinds of message consent is held for; `system` messages are governed by docs/compliance.md rules instead. */
export type ConsentMessageType = 'marketing' | 'transactional' | 'conversational';
export const CONSENT_MESSAGE_TYPES: ConsentMessageType[] = ['marketing', 'transactional', 'conversational'];

export type ConsentState = 'none' | 'pending' | 'opted_in' | 'opted_out';
export const CONSENT_STATES: ConsentState[] = ['none', 'pending', 'opted_in', 'opted_out'];

/** How a consent change reached us. */
export type ConsentSource = 'sms_keyword' | 'web_form' | 'shopify' | 'hubspot' | 'import' | 'api' | 'agent' | 'flow' | 'provider';
export const CONSENT_SOURCES: ConsentSource[] = ['sms_keyword', 'web_form', 'shopify', 'hubspot', 'import', 'api', 'agent', 'flow', 'provider'];

/** What a ledger entry records: a consent change, or a change of the suppression list (its audit trail). */
export type LedgerEntryKind = 'consent' | 'suppression_added' | 'suppression_removed';

/** Who made a change, when a person or a key did. */
export interface ConsentActor {
  apiKeyId?: string;
  /** A person signed in to the console. */
  userId?: string;
  agentId?: string;
}

/** One consent act to append to the ledger. */
export interface ConsentChange {
  contactId: string;
  /** `'all'` means every ConsentMessageType (a STOP). */
  types: ConsentMessageType[] | 'all';
  state: ConsentState;
  source: ConsentSource;
  /** Keyword text, form fields, ip, userAgent, pageUrl, agentId, providerError... */
  evidence: Record<string, unknown>;
  /** The disclosure the person saw. For an opt-in from a web form or keyword left undefined, the current one is recorded. */
  disclosureId?: string | null;
  flowId?: string | null;
  campaignId?: string | null;
  /** Time of the act; the recorded time is the clock's now. */
  occurredAt?: Date;
  actor?: ConsentActor | null;
}

/** Current state of a contact for every message type. */
export type ConsentStates = Record<ConsentMessageType, ConsentState>;

export function expandTypes(types: ConsentMessageType[] | 'all'): ConsentMessageType[] {
  if (types === 'all') return [...CONSENT_MESSAGE_TYPES];
  return CONSENT_MESSAGE_TYPES.filter((type) => types.includes(type));
}

export function noConsent(): ConsentStates {
  return { marketing: 'none', transactional: 'none', conversational: 'none' };
}

/** The actor as stored on a ledger entry: 'agent:<id>', 'user:<id>', 'api_key:<id>' or a free label. */
export function actorLabel(actor: ConsentActor | null | undefined): string | null {
  if (!actor) return null;
  if (actor.agentId) return `agent:${actor.agentId}`;
  if (actor.userId) return `user:${actor.userId}`;
  if (actor.apiKeyId) return `api_key:${actor.apiKeyId}`;
  return null;
}
