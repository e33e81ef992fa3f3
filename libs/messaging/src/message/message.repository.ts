import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { SystemMessageKind } from './message.entity';
import { Message, MessageOrigin, MessageStatus, PolicyTraceEntry } from './message.entity';
import { STATUS_RANK, STATUS_RANK_SQL } from './message-status';
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

/** Counted as "handed off" for caps and the first-message rule. */
const HANDED_OFF = ['sending', 'sent', 'delivered', 'undelivered'];

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
  async insertNew(rows: NewMessage[], links: { code: string; url: string; messageId: string; workspaceId: string }[] = []): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    return this.messages.manager.transaction(async (manager) => {
      const result = await manager.createQueryBuilder().insert().into(Message).values(rows as QueryDeepPartialEntity<Message>[]).orIgnore().returning(['id']).execute();
      const inserted = new Set((result.raw as { id: string }[]).map((r) => r.id));
      const ours = links.filter((l) => inserted.has(l.messageId));
      if (ours.length > 0) await manager.createQueryBuilder().insert().into(Link).values(ours).execute();
      return inserted;
    });
  }

  /**
   * The provider took the message: store its id; `sending` becomes `sent`, but a status callback
   * that already moved it further (delivered) is left alone.
   */
  async markAccepted(workspaceId: string, id: string, values: { providerMessageId: string; sender: string | null; at: Date }): Promise<boolean> {
    const rows: unknown = await this.messages.query(
      `UPDATE message SET provider_message_id = $3, sender = COALESCE($4, sender), sent_at = COALESCE(sent_at, $5), updated_at = now(),
         status = CASE WHEN status = 'sending' THEN 'sent' ELSE status END
       WHERE workspace_id = $1 AND id = $2 RETURNING status`,
      [workspaceId, id, values.providerMessageId, values.sender, values.at],
    );
    const list = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as { status: string }[];
    return list[0]?.status === 'sent';
  }

  /**
   * Claims a queued/deferred message for the hand-off: it becomes `sending` in one statement, so
   * two jobs never both call the provider. Returns false when the row was not claimable.
   */
  async claimForHandoff(workspaceId: string, id: string, values: { body: string; segments: number; encoding: string; provider: string; at: Date; trace: PolicyTraceEntry[] }): Promise<boolean> {
    const result = await this.messages
      .createQueryBuilder()
      .update(Message)
      .set({
        status: 'sending',
        body: values.body,
        segments: values.segments,
        encoding: values.encoding as Message['encoding'],
        provider: values.provider,
        handedOffAt: values.at,
        policyTrace: values.trace as QueryDeepPartialEntity<PolicyTraceEntry>[],
        reason: null,
        deferredUntil: null,
        attempts: () => 'attempts + 1',
      })
      .where('workspace_id = :workspaceId AND id = :id AND status IN (:...claimable)', { workspaceId, id, claimable: ['queued', 'deferred'] })
      .execute();
    return (result.affected ?? 0) === 1;
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

  /** The latest system message of this kind sent (or queued) to the contact, e.g. the opt-in request a YES answers. */
  async latestSystemMessage(workspaceId: string, contactId: string, kind: string): Promise<Message | null> {
    return this.messages
      .createQueryBuilder('m')
      .where('m.workspace_id = :workspaceId AND m.contact_id = :contactId', { workspaceId, contactId })
      .andWhere(`m.direction = 'outbound' AND m.type = 'system' AND m.origin->>'systemKind' = :kind`, { kind })
      .orderBy('m.created_at', 'DESC')
      .limit(1)
      .getOne();
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
   * What the policies need to know from the log about one contact, in one query: hand-offs in the
   * cap windows, whether the workspace ever texted them, the last system messages of each kind,
   * and the last opt-in keyword.
   */
  async historyFor(
    workspaceId: string,
    contactId: string,
    opts: { excludeId: string | null; capSince: Date; capTypes: string[]; stateCapSince: Date | null },
  ): Promise<ContactHistory> {
    const rows: Record<string, unknown>[] = await this.messages.query(
      `SELECT
         count(*) FILTER (WHERE direction = 'outbound' AND status = ANY($4) AND handed_off_at > $5 AND type = ANY($6)) AS capped,
         count(*) FILTER (WHERE direction = 'outbound' AND status = ANY($4) AND $7::timestamptz IS NOT NULL AND handed_off_at > $7 AND type = 'marketing') AS state_capped,
         bool_or(direction = 'outbound' AND status = ANY($4)) AS contacted,
         max(handed_off_at) FILTER (WHERE origin->>'systemKind' = 'stop_confirmation' AND status = ANY($4)) AS stop_confirmation,
         max(handed_off_at) FILTER (WHERE origin->>'systemKind' = 'opt_in_request' AND status = ANY($4)) AS opt_in_request,
         max(handed_off_at) FILTER (WHERE origin->>'systemKind' = 'help' AND status = ANY($4)) AS help,
         max(created_at) FILTER (WHERE direction = 'inbound' AND origin->>'keyword' IN ('start', 'yes')) AS opt_in_keyword
       FROM message
       WHERE workspace_id = $1 AND contact_id = $2 AND ($3::uuid IS NULL OR id <> $3)`,
      [workspaceId, contactId, opts.excludeId, HANDED_OFF, opts.capSince, opts.capTypes, opts.stateCapSince],
    );
    const row = rows[0] ?? {};
    const date = (v: unknown) => (v ? new Date(v as string) : undefined);
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
  }

  /**
   * Outbound messages due for a send attempt, across workspaces (the reconciler's query): queued
   * or deferred whose instant has passed, submitted before `olderThan`; and hand-offs stuck in
   * `sending` (their attempt died) — their job will record them as ambiguous, never re-send.
   */
  async dueOutbound(now: Date, olderThan: Date, staleHandoffBefore: Date, limit: number): Promise<{ id: string; workspaceId: string }[]> {
    const rows: { id: string; workspace_id: string }[] = await this.messages.query(
      `(SELECT id, workspace_id, created_at FROM message
         WHERE status IN ('queued', 'deferred') AND direction = 'outbound'
           AND (deferred_until IS NULL OR deferred_until <= $1) AND created_at < $2
         ORDER BY created_at LIMIT $4)
       UNION ALL
       (SELECT id, workspace_id, created_at FROM message
         WHERE status = 'sending' AND handed_off_at < $3
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
