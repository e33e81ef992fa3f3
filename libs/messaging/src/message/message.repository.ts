import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { preparedQuery } from '@optline/core';
import { Brackets, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { SystemMessageKind } from './message.entity';
import { Message, MessageOrigin, MessageStatus, PolicyTraceEntry } from './message.entity';
import { AMBIGUOUS_HANDOFF, STATUS_RANK, STATUS_RANK_SQL } from './message-status';
import type { ContactHistory } from '../policies/send-policy';
import { Link } from '../links/link.entity';

export type NewMessage = Omit<Message, 'updatedAt' | 'workspace' | 'contact' | 'attempts' | 'handedOffAt' | 'sentAt' | 'deliveredAt'> &
  Partial<Pick<Message, 'handedOffAt' | 'sentAt'>>;

export interface MessageListFilter {
  contactId?: string;
  status?: MessageStatus;
  reason?: string;
  direction?: 'outbound' | 'inbound';
  type?: string;
  flowRunId?: string;
  campaignId?: string;
  conversationId?: string;
  since?: Date;
  until?: Date;
  /** Keyset cursor: the last row of the previous page. */
  before?: { createdAt: Date; id: string };
  limit: number;
}

/** Arbitrary constant: the class of the advisory locks that serialise claims of once-only system texts per contact. */
const ONCE_CLAIM_LOCK_CLASS = 0x0c1a;

/** Counted as "handed off" for caps and the first-message rule. */
const HANDED_OFF = ['sending', 'sent', 'delivered', 'undelivered'];

/** `query` answers an UPDATE … RETURNING as [rows, count]; a SELECT as rows. */
function unwrapRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** The message table's queries; every one takes the workspace id. */
@Injectable()
export class MessageRepository {
  constructor(@InjectRepository(Message) private readonly messages: Repository<Message>) {}

  async get(workspaceId: string, id: string): Promise<Message | null> {
    return this.messages.findOne({ where: { workspaceId, id } });
  }

  async getMany(workspaceId: string, ids: string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    return this.messages.createQueryBuilder('m').where('m.workspace_id = :workspaceId AND m.id IN (:...ids)', { workspaceId, ids }).getMany();
  }

  async byIdempotencyKeys(workspaceId: string, keys: string[]): Promise<Message[]> {
    if (keys.length === 0) return [];
    return this.messages
      .createQueryBuilder('m')
      .where('m.workspace_id = :workspaceId AND m.idempotency_key IN (:...keys)', { workspaceId, keys })
      .getMany();
  }

  /**
   * Inserts the rows whose idempotency key is new, in one statement; rows whose key exists are
   * skipped (the unique index decides, so concurrent submits of one key insert exactly one row).
   * Returns the ids inserted.
   */
  async insertNew(
    rows: NewMessage[],
    links: { code: string; url: string; messageId: string; workspaceId: string }[] = [],
    /** The caller's transaction (an inbound STOP stored with its opt-out); otherwise one of its own. */
    within?: EntityManager,
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    // Plain SQL over column arrays: one statement of 22 array parameters however many rows (TypeORM's
    // builder binds every cell, and its parameter handling grows with the square of the batch).
    const col = <T>(pick: (r: NewMessage) => T) => rows.map(pick);
    const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) => (within ? work(within) : this.messages.manager.transaction(work));
    return inTransaction(async (manager) => {
      const result: unknown = await manager.query(
        `INSERT INTO message (id, workspace_id, contact_id, direction, type, phone, sender, body, segments, encoding, status, reason, policy_trace,
                              deferred_until, idempotency_key, origin, provider, provider_message_id, error_code, created_at, handed_off_at, sent_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[],
                              $11::text[], $12::text[], $13::jsonb[], $14::timestamptz[], $15::text[], $16::jsonb[], $17::text[], $18::text[], $19::text[],
                              $20::timestamptz[], $21::timestamptz[], $22::timestamptz[])
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          col((r) => r.id),
          col((r) => r.workspaceId),
          col((r) => r.contactId),
          col((r) => r.direction),
          col((r) => r.type),
          col((r) => r.phone),
          col((r) => r.sender),
          col((r) => r.body),
          col((r) => r.segments),
          col((r) => r.encoding),
          col((r) => r.status),
          col((r) => r.reason),
          col((r) => JSON.stringify(r.policyTrace ?? [])),
          col((r) => r.deferredUntil),
          col((r) => r.idempotencyKey),
          col((r) => JSON.stringify(r.origin ?? {})),
          col((r) => r.provider),
          col((r) => r.providerMessageId),
          col((r) => r.errorCode),
          col((r) => r.createdAt ?? new Date()),
          col((r) => r.handedOffAt ?? null),
          col((r) => r.sentAt ?? null),
        ],
      );
      const inserted = new Set(unwrapRows<{ id: string }>(result).map((r) => r.id));
      const ours = links.filter((l) => inserted.has(l.messageId));
      if (ours.length > 0) await manager.createQueryBuilder().insert().into(Link).values(ours).execute();
      return inserted;
    });
  }

  /**
   * Claims messages of one workspace for the hand-off in one statement: each row becomes `sending`
   * with its final text only if it is still queued or deferred, so two jobs never both call the
   * provider. Returns the ids claimed. Called by HandoffClaim inside the transaction of the last
   * consent check (`manager`).
   */
  async claimManyForHandoff(
    workspaceId: string,
    rows: { id: string; body: string; segments: number; encoding: string; trace: PolicyTraceEntry[] }[],
    values: { provider: string; at: Date },
    manager: EntityManager = this.messages.manager,
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const claimed: unknown = await manager.query(
      `UPDATE message m
          SET status = 'sending', body = v.body, segments = v.segments, encoding = v.encoding, provider = $7, handed_off_at = $8,
              policy_trace = v.trace, reason = NULL, deferred_until = NULL, attempts = m.attempts + 1, updated_at = now()
         FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[]) AS v(id, body, segments, encoding, trace)
        WHERE m.workspace_id = $1 AND m.id = v.id AND m.status IN ('queued', 'deferred')
        RETURNING m.id`,
      [workspaceId, rows.map((r) => r.id), rows.map((r) => r.body), rows.map((r) => r.segments), rows.map((r) => r.encoding), rows.map((r) => JSON.stringify(r.trace)), values.provider, values.at],
    );
    return new Set(unwrapRows<{ id: string }>(claimed).map((r) => r.id));
  }

  /**
   * Claims whose provider call was never made go back to `queued` (decision 0159): only rows still
   * `sending` without an outcome or a flag. Returns the ids released.
   */
  async releaseClaims(workspaceId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const released: unknown = await this.messages.query(
      `UPDATE message SET status = 'queued', handed_off_at = NULL, provider = NULL, attempts = GREATEST(attempts - 1, 0), updated_at = now()
        WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status = 'sending' AND reason IS NULL AND provider_message_id IS NULL
        RETURNING id`,
      [workspaceId, ids],
    );
    return new Set(unwrapRows<{ id: string }>(released).map((r) => r.id));
  }

  /**
   * The provider took these messages: store their ids; `sending` becomes `sent` (and loses an
   * `ambiguous_handoff` flag a stale job may have put on it: the answer came after all), but a
   * status callback that already moved one further (delivered) is left alone. Returns the ids now `sent`.
   */
  async markManyAccepted(workspaceId: string, rows: { id: string; providerMessageId: string; sender: string | null }[], at: Date): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const updated: unknown = await this.messages.query(
      `UPDATE message m
          SET provider_message_id = v.pid, sender = COALESCE(v.sender, m.sender), sent_at = COALESCE(m.sent_at, $5), updated_at = now(),
              reason = CASE WHEN m.status = 'sending' THEN NULL ELSE m.reason END,
              status = CASE WHEN m.status = 'sending' THEN 'sent' ELSE m.status END
         FROM unnest($2::uuid[], $3::text[], $4::text[]) AS v(id, pid, sender)
        WHERE m.workspace_id = $1 AND m.id = v.id
        RETURNING m.id, m.status`,
      [workspaceId, rows.map((r) => r.id), rows.map((r) => r.providerMessageId), rows.map((r) => r.sender), at],
    );
    return new Set(unwrapRows<{ id: string; status: string }>(updated).filter((r) => r.status === 'sent').map((r) => r.id));
  }

  /**
   * Send-time decisions other than a hand-off (blocked, deferred) for many messages, each moved
   * only from `from` (a compare-and-set per row). Returns the ids that moved.
   */
  async decideMany(
    workspaceId: string,
    from: MessageStatus[],
    rows: { id: string; status: MessageStatus; reason: string; trace: PolicyTraceEntry[]; deferredUntil: Date | null }[],
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const moved: unknown = await this.messages.query(
      `UPDATE message m
          SET status = v.status, reason = v.reason, policy_trace = v.trace, deferred_until = v.until, updated_at = now()
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[]) AS v(id, status, reason, trace, until)
        WHERE m.workspace_id = $1 AND m.id = v.id AND m.status = ANY($7)
        RETURNING m.id`,
      [workspaceId, rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.reason), rows.map((r) => JSON.stringify(r.trace)), rows.map((r) => r.deferredUntil), from],
    );
    return new Set(unwrapRows<{ id: string }>(moved).map((r) => r.id));
  }

  /** Moves a message on from `from` only (a compare-and-set), returning whether it moved. */
  async transition(workspaceId: string, id: string, from: MessageStatus[], values: Partial<Message> & { status: MessageStatus }): Promise<boolean> {
    const result = await this.messages
      .createQueryBuilder()
      .update(Message)
      .set(values as QueryDeepPartialEntity<Message>)
      .where('workspace_id = :workspaceId AND id = :id AND status IN (:...from)', { workspaceId, id, from })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * Flags a `sending` row `ambiguous_handoff` (law 4): it stays `sending`, since whether the
   * provider took it is unknown. Only an unflagged `sending` row moves. Returns whether it moved.
   */
  async flagAmbiguous(workspaceId: string, id: string, values: { policyTrace?: PolicyTraceEntry[]; errorCode?: string | null }): Promise<boolean> {
    const result = await this.messages
      .createQueryBuilder()
      .update(Message)
      .set({ reason: AMBIGUOUS_HANDOFF, ...(values.policyTrace ? { policyTrace: values.policyTrace } : {}), ...(values.errorCode ? { errorCode: values.errorCode } : {}) } as QueryDeepPartialEntity<Message>)
      .where("workspace_id = :workspaceId AND id = :id AND status = 'sending' AND reason IS NULL", { workspaceId, id })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * A provider status report: moves the message forward only (out-of-order callbacks never move
   * it back). Matched by our id when the callback carries it, else by the provider's id.
   */
  async advanceStatus(
    workspaceId: string,
    match: { id?: string; providerMessageId?: string },
    status: MessageStatus,
    values: { errorCode?: string | null; at: Date; providerMessageId?: string },
  ): Promise<Message | null> {
    const qb = this.messages
      .createQueryBuilder()
      .update(Message)
      .set({
        status,
        ...(values.errorCode ? { errorCode: values.errorCode } : {}),
        ...(values.providerMessageId ? { providerMessageId: values.providerMessageId } : {}),
        ...(status === 'sent' ? { sentAt: () => `COALESCE(sent_at, :at)` } : {}),
        ...(status === 'delivered' ? { deliveredAt: values.at } : {}),
        // An ambiguous hand-off the provider reports on was taken after all: the flag no longer holds.
        reason: () => `CASE WHEN reason = '${AMBIGUOUS_HANDOFF}' THEN NULL ELSE reason END`,
      })
      .where('workspace_id = :workspaceId AND direction = :outbound', { workspaceId, outbound: 'outbound' })
      .andWhere(`${STATUS_RANK_SQL} < :rank`, { rank: STATUS_RANK[status] })
      .setParameter('at', values.at);
    if (match.id) qb.andWhere('id = :id', { id: match.id });
    else qb.andWhere('provider_message_id = :pid', { pid: match.providerMessageId });
    const result = await qb.returning(['id']).execute();
    const moved = (result.raw as { id: string }[])[0];
    return moved ? this.get(workspaceId, moved.id) : null;
  }

  /**
   * Serialises the claims of once-only system texts to the same contacts until the transaction
   * ends, then answers, per contact and kind, the last hand-off of that kind other than `exclude`
   * (one statement after the lock: a new snapshot that sees the claims committed before).
   */
  async lockAndLastSystemHandoffs(
    manager: EntityManager,
    workspaceId: string,
    contactIds: string[],
    kinds: string[],
    exclude: string[],
  ): Promise<Map<string, Date>> {
    await manager.query(`SELECT pg_advisory_xact_lock($1, hashtext(c.id)) FROM (SELECT DISTINCT unnest($2::text[]) AS id ORDER BY 1) c`, [ONCE_CLAIM_LOCK_CLASS, contactIds]);
    const rows: { contact_id: string; kind: string; at: Date }[] = await manager.query(
      `SELECT contact_id, origin->>'systemKind' AS kind, max(handed_off_at) AS at FROM message
        WHERE workspace_id = $1 AND contact_id = ANY($2::uuid[]) AND direction = 'outbound' AND type = 'system'
          AND origin->>'systemKind' = ANY($3::text[]) AND status = ANY($4::text[]) AND id <> ALL($5::uuid[])
        GROUP BY 1, 2`,
      [workspaceId, contactIds, kinds, HANDED_OFF, exclude],
    );
    return new Map(rows.map((r) => [`${r.contact_id}:${r.kind}`, new Date(r.at)]));
  }

  /**
   * How many messages to these people (by contact, or by the keyed hash of their number) are being
   * handed to the provider right now: claimed since `since`, no outcome yet.
   */
  async handoffsInFlight(workspaceId: string, who: { contactIds: string[]; phoneHashes: string[] }, since: Date, manager: EntityManager = this.messages.manager): Promise<number> {
    const [row]: { n: number }[] = await manager.query(
      `SELECT count(*)::int AS n FROM message m
        WHERE m.workspace_id = $1 AND m.direction = 'outbound' AND m.status = 'sending' AND m.reason IS NULL AND m.handed_off_at >= $4
          AND (m.contact_id = ANY($2::uuid[])
               OR m.contact_id IN (SELECT c.id FROM contact c WHERE c.workspace_id = $1 AND c.phone_hash = ANY($3::text[])))`,
      [workspaceId, who.contactIds, who.phoneHashes, since],
    );
    return row.n;
  }

  /** The latest system message of this kind sent (or queued) to the contact, e.g. the opt-in request a YES answers. */
  async latestSystemMessage(workspaceId: string, contactId: string, kind: string, options: { handedOff?: boolean } = {}): Promise<Message | null> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.workspace_id = :workspaceId AND m.contact_id = :contactId', { workspaceId, contactId })
      .andWhere(`m.direction = 'outbound' AND m.type = 'system' AND m.origin->>'systemKind' = :kind`, { kind });
    if (options.handedOff) qb.andWhere('m.status IN (:...handedOff)', { handedOff: HANDED_OFF });
    return qb
      .orderBy('m.created_at', 'DESC')
      .limit(1)
      .getOne();
  }

  /** When the contact last wrote one of these keywords (the latest STOP, say). */
  async lastInboundKeywordAt(workspaceId: string, contactId: string, keywords: string[]): Promise<Date | null> {
    const [row] = await this.messages.query(
      `SELECT max(created_at) AS at FROM message WHERE workspace_id = $1 AND contact_id = $2 AND direction = 'inbound' AND origin->>'keyword' = ANY($3)`,
      [workspaceId, contactId, keywords],
    );
    return row?.at ? new Date(row.at) : null;
  }

  async findByProviderId(workspaceId: string, providerMessageId: string): Promise<Message | null> {
    return this.messages.findOne({ where: { workspaceId, providerMessageId } });
  }

  /** Held messages of a contact go back to the queue (after YES). Returns their ids. */
  async releaseHeld(workspaceId: string, contactId: string, direction: 'outbound' | 'inbound'): Promise<string[]> {
    const result = await this.messages
      .createQueryBuilder()
      .update(Message)
      .set({ status: direction === 'outbound' ? 'queued' : 'received', reason: null })
      .where('workspace_id = :workspaceId AND contact_id = :contactId AND status = :held AND direction = :direction', { workspaceId, contactId, held: 'held', direction })
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((r) => r.id);
  }

  /**
   * What the policies need to know from the log about each asked contact, in one query: hand-offs
   * in the cap windows, whether the workspace ever texted them, the last system messages of each
   * kind, and the last opt-in keyword. Each ask names the message being decided (left out of its
   * own history) and its state cap window, which depends on the number's state.
   */
  async historyForMany(
    workspaceId: string,
    asks: { contactId: string; excludeId: string | null; stateCapSince: Date | null }[],
    opts: { capSince: Date; capTypes: string[] },
  ): Promise<ContactHistory[]> {
    if (asks.length === 0) return [];
    const rows = await preparedQuery<Record<string, unknown>>(
      this.messages.manager.connection,
      'message_history_for_many',
      `SELECT a.ord,
         count(m.id) FILTER (WHERE m.direction = 'outbound' AND m.status = ANY($5) AND m.handed_off_at > $6 AND m.type = ANY($7)) AS capped,
         count(m.id) FILTER (WHERE m.direction = 'outbound' AND m.status = ANY($5) AND a.state_since IS NOT NULL AND m.handed_off_at > a.state_since AND m.type = 'marketing') AS state_capped,
         COALESCE(bool_or(m.direction = 'outbound' AND m.status = ANY($5)), false) AS contacted,
         max(m.handed_off_at) FILTER (WHERE m.origin->>'systemKind' = 'stop_confirmation' AND m.status = ANY($5)) AS stop_confirmation,
         max(m.handed_off_at) FILTER (WHERE m.origin->>'systemKind' = 'opt_in_request' AND m.status = ANY($5)) AS opt_in_request,
         max(m.handed_off_at) FILTER (WHERE m.origin->>'systemKind' = 'help' AND m.status = ANY($5)) AS help,
         max(m.created_at) FILTER (WHERE m.direction = 'inbound' AND m.origin->>'keyword' IN ('start', 'yes')) AS opt_in_keyword
       FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) WITH ORDINALITY AS a(contact_id, exclude_id, state_since, ord)
       LEFT JOIN message m ON m.workspace_id = $1 AND m.contact_id = a.contact_id AND (a.exclude_id IS NULL OR m.id <> a.exclude_id)
       GROUP BY a.ord
       ORDER BY a.ord`,
      [workspaceId, asks.map((a) => a.contactId), asks.map((a) => a.excludeId), asks.map((a) => a.stateCapSince), HANDED_OFF, opts.capSince, opts.capTypes],
    );
    const date = (v: unknown) => (v ? new Date(v as string) : undefined);
    return rows.map((row) => {
      const lastSystemHandoff: Partial<Record<SystemMessageKind, Date>> = {};
      for (const kind of ['stop_confirmation', 'opt_in_request', 'help'] as const) {
        const at = date(row[kind]);
        if (at) lastSystemHandoff[kind] = at;
      }
      return {
        handedOffInCapWindow: Number(row.capped ?? 0),
        marketingInStateCapWindow: Number(row.state_capped ?? 0),
        contactedBefore: row.contacted === true,
        lastSystemHandoff,
        lastOptInKeywordAt: date(row.opt_in_keyword) ?? null,
      };
    });
  }

  /**
   * Outbound messages due for a send attempt, across workspaces (the reconciler's query): queued
   * or deferred whose instant has passed, submitted before `olderThan`; and hand-offs stuck in
   * `sending` (their attempt died) not yet flagged — their job flags them ambiguous, never re-sends.
   */
  async dueOutbound(now: Date, olderThan: Date, staleHandoffBefore: Date, limit: number): Promise<{ id: string; workspaceId: string }[]> {
    const rows: { id: string; workspace_id: string }[] = await this.messages.query(
      `(SELECT id, workspace_id, created_at FROM message
         WHERE status IN ('queued', 'deferred') AND direction = 'outbound'
           AND (deferred_until IS NULL OR deferred_until <= $1) AND created_at < $2
         ORDER BY created_at LIMIT $4)
       UNION ALL
       (SELECT id, workspace_id, created_at FROM message
         WHERE status = 'sending' AND handed_off_at < $3 AND reason IS NULL
         ORDER BY created_at LIMIT $4)`,
      [now, olderThan, staleHandoffBefore, limit],
    );
    return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id }));
  }

  /** The message log, newest first, filtered; keyset-paginated on (created_at, id). */
  async list(workspaceId: string, filter: MessageListFilter): Promise<Message[]> {
    const qb = this.messages.createQueryBuilder('m').where('m.workspace_id = :workspaceId', { workspaceId });
    if (filter.contactId) qb.andWhere('m.contact_id = :contactId', { contactId: filter.contactId });
    if (filter.status) qb.andWhere('m.status = :status', { status: filter.status });
    if (filter.reason) qb.andWhere('m.reason = :reason', { reason: filter.reason });
    if (filter.direction) qb.andWhere('m.direction = :direction', { direction: filter.direction });
    if (filter.type) qb.andWhere('m.type = :type', { type: filter.type });
    const origin: MessageOrigin = {};
    if (filter.flowRunId) origin.flowRunId = filter.flowRunId;
    if (filter.campaignId) origin.campaignId = filter.campaignId;
    if (filter.conversationId) origin.conversationId = filter.conversationId;
    if (Object.keys(origin).length > 0) qb.andWhere('m.origin @> :origin::jsonb', { origin: JSON.stringify(origin) });
    if (filter.since) qb.andWhere('m.created_at >= :since', { since: filter.since });
    if (filter.until) qb.andWhere('m.created_at < :until', { until: filter.until });
    if (filter.before) {
      const before = filter.before;
      qb.andWhere(
        new Brackets((w) =>
          w.where('m.created_at < :bAt', { bAt: before.createdAt }).orWhere('m.created_at = :bAt AND m.id < :bId', { bAt: before.createdAt, bId: before.id }),
        ),
      );
    }
    return qb.orderBy('m.created_at', 'DESC').addOrderBy('m.id', 'DESC').limit(filter.limit).getMany();
  }
}
