import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ConsentMessageType, ConsentState } from '../consent.types';
import { ConsentEvent } from './consent-event.entity';
import { GENESIS_HASH } from './consent-chain';

/** Arbitrary constant: the class of the advisory locks that serialise each workspace's chain. */
const LEDGER_LOCK_CLASS = 0x0c0e;

export interface ContactIdentity {
  id: string;
  phone: string | null;
  phoneHash: string;
  erasedAt: Date | null;
}

export interface StateRow {
  contactId: string;
  messageType: ConsentMessageType;
  state: ConsentState;
  lastEventId: string;
  changedAt: Date;
}

const EVENT_COLUMNS = `e.id, e.workspace_id, e.seq, e.kind, e.contact_id, e.phone, e.phone_hash, e.message_type, e.state, e.source,
  e.evidence, e.disclosure_id, e.flow_id, e.campaign_id, e.actor, e.occurred_at, e.recorded_at, e.prev_hash, e.hash`;

export interface EventRow {
  id: string;
  workspace_id: string;
  seq: string;
  kind: ConsentEvent['kind'];
  contact_id: string | null;
  phone: string | null;
  phone_hash: string;
  message_type: ConsentMessageType | null;
  state: ConsentState | null;
  source: ConsentEvent['source'];
  evidence: Record<string, unknown>;
  disclosure_id: string | null;
  flow_id: string | null;
  campaign_id: string | null;
  actor: string | null;
  occurred_at: Date;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
  disclosure_version?: number | null;
}

export function toEvent(row: EventRow): ConsentEvent {
  return Object.assign(new ConsentEvent(), {
    id: row.id,
    workspaceId: row.workspace_id,
    seq: String(row.seq),
    kind: row.kind,
    contactId: row.contact_id,
    phone: row.phone,
    phoneHash: row.phone_hash,
    messageType: row.message_type,
    state: row.state,
    source: row.source,
    evidence: row.evidence ?? {},
    disclosureId: row.disclosure_id,
    flowId: row.flow_id,
    campaignId: row.campaign_id,
    actor: row.actor,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  });
}

/** Queries of the consent ledger and its projection; all scoped by workspace. */
@Injectable()
export class ConsentLedgerRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Runs `work` in the given transaction, or in a new one. */
  async inTransaction<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** Serialises appends to one workspace's chain until the transaction ends. */
  async lockChain(workspaceId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LEDGER_LOCK_CLASS, workspaceId]);
  }

  /**
   * The same lock in shared mode: waits for the chain writers in flight to commit, and keeps new
   * ones from committing until the reader's transaction ends. The coarse form of a hand-off
   * claim's lock, for a claim too large for per-person locks (SendingLocks, decision 0266).
   */
  async lockChainShared(workspaceId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [LEDGER_LOCK_CLASS, workspaceId]);
  }

  /** The last entry of the chain (call with the chain locked). */
  async head(workspaceId: string, manager: EntityManager): Promise<{ seq: bigint; hash: string }> {
    const rows: { seq: string; hash: string }[] = await manager.query(
      'SELECT seq, hash FROM consent_event WHERE workspace_id = $1 ORDER BY seq DESC LIMIT 1',
      [workspaceId],
    );
    return rows[0] ? { seq: BigInt(rows[0].seq), hash: rows[0].hash } : { seq: 0n, hash: GENESIS_HASH };
  }

  async contactIdentities(workspaceId: string, ids: string[], manager: EntityManager): Promise<Map<string, ContactIdentity>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; phone: string | null; phone_hash: string; erased_at: Date | null }[] = await manager.query(
      'SELECT id, phone, phone_hash, erased_at FROM contact WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
      [workspaceId, ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, phone: r.phone, phoneHash: r.phone_hash, erasedAt: r.erased_at }]));
  }

  /** Live contact ids by phone hash (to attach suppression entries to their contact's history). */
  async contactIdsByPhoneHash(workspaceId: string, hashes: string[], manager: EntityManager): Promise<Map<string, string>> {
    if (hashes.length === 0) return new Map();
    const rows: { id: string; phone_hash: string }[] = await manager.query(
      'SELECT id, phone_hash FROM contact WHERE workspace_id = $1 AND phone_hash = ANY($2::text[]) AND erased_at IS NULL',
      [workspaceId, hashes],
    );
    return new Map(rows.map((r) => [r.phone_hash, r.id]));
  }

  async insertEntries(entries: ConsentEvent[], manager: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    const col = <K extends keyof ConsentEvent>(key: K) => entries.map((e) => e[key]);
    await manager.query(
      `INSERT INTO consent_event (id, workspace_id, seq, kind, contact_id, phone, phone_hash, message_type, state, source, evidence,
         disclosure_id, flow_id, campaign_id, actor, occurred_at, recorded_at, prev_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[],
         $10::text[], $11::jsonb[], $12::uuid[], $13::text[], $14::text[], $15::text[], $16::timestamptz[], $17::timestamptz[], $18::text[], $19::text[])`,
      [
        col('id'),
        col('workspaceId'),
        col('seq'),
        col('kind'),
        col('contactId'),
        col('phone'),
        col('phoneHash'),
        col('messageType'),
        col('state'),
        col('source'),
        entries.map((e) => JSON.stringify(e.evidence)),
        col('disclosureId'),
        col('flowId'),
        col('campaignId'),
        col('actor'),
        entries.map((e) => e.occurredAt.toISOString()),
        entries.map((e) => e.recordedAt.toISOString()),
        col('prevHash'),
        col('hash'),
      ],
    );
  }

  /**
   * Moves the projection to these entries. The latest act wins: an entry whose act is older than
   * the state's (a back-dated import line) is kept in the ledger but does not change the state.
   */
  async project(workspaceId: string, entries: ConsentEvent[], manager: EntityManager): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO consent_state AS s (contact_id, message_type, workspace_id, state, last_event_id, changed_at)
       SELECT x.contact_id, x.message_type, $1, x.state, x.event_id, x.changed_at
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::timestamptz[]) AS x(contact_id, message_type, state, event_id, changed_at)
       ON CONFLICT (contact_id, message_type) DO UPDATE
         SET state = EXCLUDED.state, last_event_id = EXCLUDED.last_event_id, changed_at = EXCLUDED.changed_at
         WHERE s.changed_at <= EXCLUDED.changed_at`,
      [
        workspaceId,
        entries.map((e) => e.contactId),
        entries.map((e) => e.messageType),
        entries.map((e) => e.state),
        entries.map((e) => e.id),
        entries.map((e) => e.occurredAt.toISOString()),
      ],
    );
  }

  /** Per contact: whether any type is opted in, and whether any is opted out. */
  async summaries(workspaceId: string, contactIds: string[], manager: EntityManager): Promise<Map<string, { anyIn: boolean; anyOut: boolean }>> {
    const rows: { contact_id: string; any_in: boolean; any_out: boolean }[] = await manager.query(
      `SELECT contact_id, bool_or(state = 'opted_in') AS any_in, bool_or(state = 'opted_out') AS any_out
       FROM consent_state WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[]) GROUP BY contact_id`,
      [workspaceId, contactIds],
    );
    return new Map(rows.map((r) => [r.contact_id, { anyIn: r.any_in, anyOut: r.any_out }]));
  }

  /** One query for many contacts: the hot path of the send gateway. */
  async states(workspaceId: string, contactIds: string[], manager: EntityManager = this.dataSource.manager): Promise<StateRow[]> {
    if (contactIds.length === 0) return [];
    const rows: { contact_id: string; message_type: ConsentMessageType; state: ConsentState; last_event_id: string; changed_at: Date }[] =
      await manager.query(
        `SELECT contact_id, message_type, state, last_event_id, changed_at FROM consent_state
         WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[])`,
        [workspaceId, contactIds],
      );
    return rows.map((r) => ({ contactId: r.contact_id, messageType: r.message_type, state: r.state, lastEventId: r.last_event_id, changedAt: r.changed_at }));
  }

  async historyOfContact(workspaceId: string, contactId: string, limit: number): Promise<(ConsentEvent & { disclosureVersion: number | null })[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS}, d.version AS disclosure_version FROM consent_event e
       LEFT JOIN disclosure d ON d.id = e.disclosure_id
       WHERE e.workspace_id = $1 AND e.contact_id = $2 ORDER BY e.seq DESC LIMIT $3`,
      [workspaceId, contactId, limit],
    );
    return rows.map((r) => Object.assign(toEvent(r), { disclosureVersion: r.disclosure_version ?? null }));
  }

  /** The entry that set this number's state for the type as of `at` (by time of the act, then ledger order). */
  async consentAt(workspaceId: string, phoneHash: string, type: ConsentMessageType, at: Date) {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS}, d.version AS disclosure_version FROM consent_event e
       LEFT JOIN disclosure d ON d.id = e.disclosure_id
       WHERE e.workspace_id = $1 AND e.phone_hash = $2 AND e.kind = 'consent' AND e.message_type = $3 AND e.occurred_at <= $4
       ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1`,
      [workspaceId, phoneHash, type, at],
    );
    return rows[0] ? Object.assign(toEvent(rows[0]), { disclosureVersion: rows[0].disclosure_version ?? null }) : null;
  }

  /** The last suppression-list change for this number as of `at`. */
  async suppressionAt(workspaceId: string, phoneHash: string, at: Date): Promise<ConsentEvent | null> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM consent_event e
       WHERE e.workspace_id = $1 AND e.phone_hash = $2 AND e.kind <> 'consent' AND e.occurred_at <= $3
       ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1`,
      [workspaceId, phoneHash, at],
    );
    return rows[0] ? toEvent(rows[0]) : null;
  }

  /** Erasure: the ledger keeps every entry, without the phone (the trigger allows exactly this). */
  async blankPhone(workspaceId: string, phoneHash: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE consent_event SET phone = NULL WHERE workspace_id = $1 AND phone_hash = $2 AND phone IS NOT NULL', [
      workspaceId,
      phoneHash,
    ]);
  }

  /** The SQL of a chain walk, oldest first, for cursorBatches. */
  chainWalkSql(): string {
    return `SELECT ${EVENT_COLUMNS} FROM consent_event e WHERE e.workspace_id = $1 ORDER BY e.seq`;
  }

  /** The SQL of an export, oldest first, for cursorBatches. */
  exportSql(): string {
    return `SELECT ${EVENT_COLUMNS}, d.version AS disclosure_version FROM consent_event e
      LEFT JOIN disclosure d ON d.id = e.disclosure_id
      WHERE e.workspace_id = $1 AND ($2::timestamptz IS NULL OR e.occurred_at >= $2) AND ($3::timestamptz IS NULL OR e.occurred_at < $3)
      ORDER BY e.seq`;
  }
}
