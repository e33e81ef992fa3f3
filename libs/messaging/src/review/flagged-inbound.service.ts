import { Injectable, Logger } from '@nestjs/common';
import { ConsentActor, ConsentService } from '@optline/consent';
import { Clock, DomainError, NotFoundError } from '@optline/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Message } from '../message/message.entity';

export type ReviewStatus = 'open' | 'resolved';
export type ReviewAction = 'opt_out' | 'dismiss';

/** A person's decision on a flagged text, kept on the inbound message's origin (`review`). */
export interface ReviewResolution {
  action: ReviewAction;
  note: string | null;
  /** `api_key:<id>` or `user:<id>`: who decided. */
  resolvedBy: string;
  resolvedAt: string;
  /** The ledger entries the opt-out made (none for a dismissal, or when already opted out). */
  consentEventIds: string[];
}

export interface FlaggedInbound {
  message: Message;
  resolution: ReviewResolution | null;
}

export interface FlaggedPage {
  items: FlaggedInbound[];
  nextCursor: string | null;
}

/**
 * Inbound texts the classifier flagged for a human (docs/decisions/0167): an opt-out worded
 * vaguely ("wrong number", "leave me alone") or a keyword inside a sentence ("I'll stop by").
 * Staff list them and decide: opt the person out (a consent act with source agent or api and the
 * text as evidence) or dismiss. The decision is recorded once, with who made it.
 */
@Injectable()
export class FlaggedInboundService {
  private readonly logger = new Logger(FlaggedInboundService.name);

  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    private readonly consent: ConsentService,
    private readonly clock: Clock,
  ) {}

  /** Newest first; the cursor is the last row's (created_at, id). */
  async list(workspaceId: string, query: { status?: ReviewStatus; cursor?: string; limit: number }): Promise<FlaggedPage> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where(`m.workspace_id = :workspaceId AND m.direction = 'inbound' AND (m.origin->>'flagForReview')::boolean IS TRUE`, { workspaceId })
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(query.limit);
    if (query.status === 'open') qb.andWhere(`m.origin->'review' IS NULL`);
    if (query.status === 'resolved') qb.andWhere(`m.origin->'review' IS NOT NULL`);
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      qb.andWhere('(m.created_at, m.id) < (:at, :id)', after);
    }
    const rows = await qb.getMany();
    const last = rows[rows.length - 1];
    return { items: rows.map((m) => this.view(m)), nextCursor: rows.length === query.limit && last ? encodeCursor(last) : null };
  }

  async get(workspaceId: string, id: string): Promise<FlaggedInbound> {
    return this.view(await this.flagged(workspaceId, id));
  }

  async resolve(
    workspaceId: string,
    id: string,
    decision: { action: ReviewAction; note?: string | null; actor: string; source: 'agent' | 'api'; ledgerActor: ConsentActor },
  ): Promise<FlaggedInbound> {
    const message = await this.flagged(workspaceId, id);
    if ((message.origin as { review?: unknown }).review) throw new DomainError('conflict', 'already_resolved', `Flagged text ${id} was already resolved`);
    const resolution: ReviewResolution = {
      action: decision.action,
      note: decision.note ?? null,
      resolvedBy: decision.actor,
      resolvedAt: this.clock.now().toISOString(),
      consentEventIds: [],
    };
    // The decision is claimed first: a concurrent one finds `review` set and gets a 409, so the
    // opt-out is recorded once.
    if (!(await this.setReview(workspaceId, id, resolution, true))) {
      throw new DomainError('conflict', 'already_resolved', `Flagged text ${id} was already resolved`);
    }
    if (decision.action === 'opt_out' && message.contactId) {
      const events = await this.consent.record(workspaceId, {
        contactId: message.contactId,
        types: 'all',
        state: 'opted_out',
        source: decision.source,
        evidence: { reviewOf: message.id, text: message.body, actor: decision.actor, ...(decision.note && { note: decision.note }), receivedAt: message.createdAt.toISOString() },
        occurredAt: this.clock.now(),
        actor: decision.ledgerActor,
      });
      await this.setReview(workspaceId, id, { ...resolution, consentEventIds: events.map((e) => e.id) }, false);
    }
    this.logger.log({ workspaceId, messageId: id, action: decision.action, actor: decision.actor }, 'flagged inbound text resolved');
    return this.get(workspaceId, id);
  }

  private async setReview(workspaceId: string, id: string, resolution: ReviewResolution, onlyIfOpen: boolean): Promise<boolean> {
    const result: unknown = await this.messages.query(
      `UPDATE message SET origin = origin || jsonb_build_object('review', $3::jsonb)
        WHERE workspace_id = $1 AND id = $2 ${onlyIfOpen ? "AND origin->'review' IS NULL" : ''} RETURNING id`,
      [workspaceId, id, JSON.stringify(resolution)],
    );
    const rows = Array.isArray(result) && Array.isArray(result[0]) ? result[0] : (result as unknown[]);
    return rows.length > 0;
  }

  private async flagged(workspaceId: string, id: string): Promise<Message> {
    const message = await this.messages.findOne({ where: { workspaceId, id, direction: 'inbound' } });
    if (!message || message.origin?.flagForReview !== true) throw new NotFoundError('Flagged text', id);
    return message;
  }

  private view(message: Message): FlaggedInbound {
    return { message, resolution: (message.origin as { review?: ReviewResolution }).review ?? null };
  }
}

function encodeCursor(message: Message): string {
  return Buffer.from(`${message.createdAt.toISOString()}|${message.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) {
    throw new DomainError('invalid', 'invalid_cursor', 'cursor: not a cursor this list gave', [{ field: 'cursor', message: 'not a cursor this list gave' }]);
  }
  return { at: date, id };
}
