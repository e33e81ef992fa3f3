import { Injectable } from '@nestjs/common';
import { invalidField } from '@optline/core';
import { ContactService } from '@optline/contacts';
import type { EntityManager } from 'typeorm';
import { CONSENT_MESSAGE_TYPES, ConsentMessageType, ConsentState, ConsentStates, noConsent } from '../consent.types';
import { ConsentEvent } from './consent-event.entity';
import { ConsentLedgerRepository } from './consent-ledger.repository';

export interface TypeState {
  state: ConsentState;
  /** When the act that set it occurred; null when nothing was ever recorded. */
  since: Date | null;
  eventId: string | null;
}

export interface ContactConsent {
  contactId: string;
  states: Record<ConsentMessageType, TypeState>;
  history: (ConsentEvent & { disclosureVersion: number | null })[];
}

export interface ConsentAtAnswer {
  phone: string;
  type: ConsentMessageType;
  at: Date;
  state: ConsentState;
  /** The ledger entry that established the state, or null when nothing was recorded before `at`. */
  establishedBy: (ConsentEvent & { disclosureVersion: number | null }) | null;
  /** Whether the number was on the suppression list at that instant, and the entry that put it there. */
  suppressed: boolean;
  suppressionEntry: ConsentEvent | null;
}

/** Reads of consent: current states (batched for the gateway), a contact's history, the state at an instant. */
@Injectable()
export class ConsentQueryService {
  constructor(
    private readonly ledger: ConsentLedgerRepository,
    private readonly contacts: ContactService,
  ) {}

  /** Current state of every type for each contact, in one query; unknown or never recorded = 'none'. */
  async statesFor(workspaceId: string, contactIds: string[], manager?: EntityManager): Promise<Map<string, ConsentStates>> {
    const unique = [...new Set(contactIds)];
    const result = new Map<string, ConsentStates>(unique.map((id) => [id, noConsent()]));
    for (const row of await this.ledger.states(workspaceId, unique, manager)) result.get(row.contactId)![row.messageType] = row.state;
    return result;
  }

  async stateOf(workspaceId: string, contactId: string, type: ConsentMessageType): Promise<ConsentState> {
    return (await this.statesFor(workspaceId, [contactId])).get(contactId)![type];
  }

  /** 404 for a contact of another workspace. */
  async ofContact(workspaceId: string, contactId: string, historyLimit = 200): Promise<ContactConsent> {
    await this.contacts.get(workspaceId, contactId);
    const [rows, history] = await Promise.all([
      this.ledger.states(workspaceId, [contactId]),
      this.ledger.historyOfContact(workspaceId, contactId, historyLimit),
    ]);
    const states = Object.fromEntries(CONSENT_MESSAGE_TYPES.map((t) => [t, { state: 'none', since: null, eventId: null }])) as Record<
      ConsentMessageType,
      TypeState
    >;
    for (const row of rows) states[row.messageType] = { state: row.state, since: row.changedAt, eventId: row.lastEventId };
    return { contactId, states, history };
  }

  /**
   * What the number's consent for `type` was at `at`, and which entry established it. Works by
   * keyed phone hash, so it still answers for an erased contact.
   */
  async at(workspaceId: string, phone: string, type: ConsentMessageType, at: Date): Promise<ConsentAtAnswer> {
    const e164 = await this.contacts.normalize(workspaceId, phone);
    if (!e164) throw invalidField('phone', 'phone must be a valid phone number', 'invalid_phone');
    const phoneHash = this.contacts.phoneHash(e164);
    const [entry, suppression] = await Promise.all([
      this.ledger.consentAt(workspaceId, phoneHash, type, at),
      this.ledger.suppressionAt(workspaceId, phoneHash, at),
    ]);
    const suppressed = suppression?.kind === 'suppression_added';
    return {
      phone: e164,
      type,
      at,
      state: entry?.state ?? 'none',
      establishedBy: entry,
      suppressed,
      suppressionEntry: suppressed ? suppression : null,
    };
  }
}
