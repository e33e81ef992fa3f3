import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ContactService, normalizePhone } from '@optline/contacts';
import { preparedQuery } from '@optline/core';
import { DataSource, EntityManager } from 'typeorm';
import { ConsentMessageType, ConsentState, ConsentStates, noConsent } from '../consent.types';
import { ConsentLedgerRepository } from '../ledger/consent-ledger.repository';
import { SendingLocks } from '../ledger/sending-locks';

const FACTS_SQL = `SELECT 'consent' AS kind, contact_id::text AS key, message_type, state FROM consent_state WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[])
       UNION ALL
       SELECT 'suppressed', phone_hash, NULL, NULL FROM suppression WHERE workspace_id = $1 AND phone_hash = ANY($3::text[])`;

/**
 * The same two facts for contacts known only by id: suppression is matched through the contact's
 * stored phone hash (the keyed hash of its E.164 phone, the same key the suppression list is
 * matched by), so the caller need not read the contact first.
 */
const FACTS_BY_CONTACT_SQL = `SELECT 'consent' AS kind, contact_id::text AS key, message_type, state FROM consent_state WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[])
       UNION ALL
       SELECT 'suppressed', c.id::text, NULL, NULL FROM contact c JOIN suppression s ON s.workspace_id = c.workspace_id AND s.phone_hash = c.phone_hash
        WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[])`;

const HASH_MEMO_SIZE = 50_000;

type FactRow = { kind: 'consent' | 'suppressed'; key: string; message_type: ConsentMessageType | null; state: ConsentState | null };

/** What the send gateway must know from this library before a send: consent states and suppression. */
export interface SendingFacts {
  /** By contact id; 'none' for every type not recorded. */
  states: Map<string, ConsentStates>;
  /** The E.164 phones (of those asked) on the suppression list. */
  suppressed: Set<string>;
}

/**
 * Both facts the gateway checks at send time that this library owns — the consent projection and
 * the suppression list — in one statement for a whole batch: on the send path every round trip
 * counts (a check is two of them in all), and the two tables are read together anyway.
 */
@Injectable()
export class SendingFactsQuery {
  /**
   * Phones read recently, with their E.164 form and keyed hash: every message's phone is read
   * twice on the send path (its decision, then the claim's last check), and parsing a number
   * with the full metadata and hashing it was most of this query's cost in a campaign's profile.
   * Bounded (oldest out first); a phone's hash never changes while the process runs.
   */
  private readonly hashes = new Map<string, { e164: string; hash: string }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contacts: ContactService,
    private readonly ledger: ConsentLedgerRepository,
    private readonly locks: SendingLocks,
  ) {}

  async forSending(workspaceId: string, contactIds: string[], phones: string[]): Promise<SendingFacts> {
    return this.read(workspaceId, contactIds, phones, (params) => preparedQuery<FactRow>(this.dataSource, 'consent_sending_facts', FACTS_SQL, params));
  }

  /**
   * Consent states and suppression of contacts by id alone (`suppressedContacts` holds the ids whose
   * phone is on the list), so a check can ask this at the same time as it reads the contact.
   */
  async forContacts(workspaceId: string, contactIds: string[]): Promise<{ states: Map<string, ConsentStates>; suppressedContacts: Set<string> }> {
    const ids = [...new Set(contactIds)];
    const facts = { states: new Map(ids.map((id) => [id, noConsent()])), suppressedContacts: new Set<string>() };
    if (ids.length === 0) return facts;
    const rows = await preparedQuery<FactRow>(this.dataSource, 'consent_sending_facts_by_contact', FACTS_BY_CONTACT_SQL, [workspaceId, ids]);
    for (const row of rows) {
      if (row.kind === 'suppressed') facts.suppressedContacts.add(row.key);
      else facts.states.get(row.key)![row.message_type!] = row.state!;
    }
    return facts;
  }

  /**
   * The same facts inside the caller's transaction, read after taking the sending locks of these
   * contacts and numbers in shared mode (every consent and suppression writer takes its subjects'
   * locks exclusively, decision 0266): what this answers includes every change to them committed
   * before, and no change to them can commit until the caller's transaction ends. The send
   * gateway's claim is made in that transaction, so its last check and the claim are one atomic
   * step against opt-outs (law 2, decision 0145).
   */
  async forSendingLocked(manager: EntityManager, workspaceId: string, contactIds: string[], phones: string[]): Promise<SendingFacts> {
    const ids = [...new Set(contactIds)];
    const byHash = this.hashPhones(phones);
    const locked = await this.locks.forClaim(manager, workspaceId, { contactIds: ids, phoneHashes: [...byHash.keys()] });
    if (!locked) await this.ledger.lockChainShared(workspaceId, manager);
    // A new statement, so a new snapshot (READ COMMITTED): taken after the locks were granted.
    return this.readFacts(workspaceId, ids, byHash, (params) => manager.query(FACTS_SQL, params) as Promise<FactRow[]>);
  }

  private async read(workspaceId: string, contactIds: string[], phones: string[], query: (params: unknown[]) => Promise<FactRow[]>): Promise<SendingFacts> {
    return this.readFacts(workspaceId, [...new Set(contactIds)], this.hashPhones(phones), query);
  }

  /** Keyed hash → E.164 of each phone that parses. */
  private hashPhones(phones: string[]): Map<string, string> {
    const byHash = new Map<string, string>();
    for (const phone of new Set(phones)) {
      const known = this.hashes.get(phone);
      if (known) {
        byHash.set(known.hash, known.e164);
        continue;
      }
      const e164 = normalizePhone(phone, 'US');
      if (!e164) continue;
      const hash = this.contacts.phoneHash(e164);
      byHash.set(hash, e164);
      if (this.hashes.size >= HASH_MEMO_SIZE) this.hashes.delete(this.hashes.keys().next().value as string);
      this.hashes.set(phone, { e164, hash });
    }
    return byHash;
  }

  private async readFacts(workspaceId: string, ids: string[], byHash: Map<string, string>, query: (params: unknown[]) => Promise<FactRow[]>): Promise<SendingFacts> {
    const facts: SendingFacts = { states: new Map(ids.map((id) => [id, noConsent()])), suppressed: new Set() };
    if (ids.length === 0 && byHash.size === 0) return facts;
    const rows = await query([workspaceId, ids, [...byHash.keys()]]);
    for (const row of rows) {
      if (row.kind === 'suppressed') facts.suppressed.add(byHash.get(row.key)!);
      else facts.states.get(row.key)![row.message_type!] = row.state!;
    }
    return facts;
  }
}
