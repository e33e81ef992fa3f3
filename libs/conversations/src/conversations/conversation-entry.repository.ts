import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ConversationEntry, OutboxState } from './conversation-entry.entity';

export type NewEntry = Pick<ConversationEntry, 'workspaceId' | 'conversationId' | 'direction' | 'role' | 'createdAt'> &
  Partial<Pick<ConversationEntry, 'messageId' | 'body' | 'noticeCode' | 'outbox' | 'agentId' | 'senderName' | 'clientKey' | 'consumedByFlowRunId'>>;

/** The conversation_entry table's queries; every one takes the workspace id. */
@Injectable()
export class ConversationEntryRepository {
  constructor(@InjectRepository(ConversationEntry) private readonly entries: Repository<ConversationEntry>) {}

  /**
   * Inserts an entry unless one exists for the same message or the same client key (replays and
   * concurrent handlers of one event add it once). Returns the stored entry and whether it is new.
   */
  async add(entry: NewEntry): Promise<{ entry: ConversationEntry; created: boolean }> {
    const result = await this.entries
      .createQueryBuilder()
      .insert()
      .into(ConversationEntry)
      .values(entry as QueryDeepPartialEntity<ConversationEntry>)
      .orIgnore()
      .returning(['id'])
      .execute();
    const inserted = (result.raw as { id: string }[])[0];
    if (inserted) return { entry: (await this.entries.findOne({ where: { workspaceId: entry.workspaceId, id: inserted.id } }))!, created: true };
    const existing = entry.messageId
      ? await this.byMessage(entry.workspaceId, entry.messageId)
      : await this.entries.findOne({ where: { workspaceId: entry.workspaceId, conversationId: entry.conversationId, clientKey: entry.clientKey! } });
    return { entry: existing!, created: false };
  }

  byMessage(workspaceId: string, messageId: string): Promise<ConversationEntry | null> {
    return this.entries.findOne({ where: { workspaceId, messageId } });
  }

  byClientKey(workspaceId: string, conversationId: string, clientKey: string): Promise<ConversationEntry | null> {
    return this.entries.findOne({ where: { workspaceId, conversationId, clientKey } });
  }

  get(workspaceId: string, id: string): Promise<ConversationEntry | null> {
    return this.entries.findOne({ where: { workspaceId, id } });
  }

  /** Agent texts waiting for YES, in the order they were written. */
  held(workspaceId: string, conversationId: string): Promise<ConversationEntry[]> {
    return this.entries
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId AND e.conversation_id = :conversationId AND e.direction = :outbound AND e.outbox = :held', {
        workspaceId,
        conversationId,
        outbound: 'outbound',
        held: 'held',
      })
      .orderBy('e.created_at', 'ASC')
      .addOrderBy('e.seq', 'ASC')
      .getMany();
  }

  /**
   * Moves an outbox entry on from `from` only (compare-and-set: two handlers of one YES never
   * both submit it). Returns whether it moved.
   */
  async moveOutbox(workspaceId: string, id: string, from: OutboxState, to: OutboxState, messageId: string | null): Promise<boolean> {
    const result = await this.entries
      .createQueryBuilder()
      .update(ConversationEntry)
      .set({ outbox: to, ...(messageId ? { messageId } : {}) })
      .where('workspace_id = :workspaceId AND id = :id AND outbox = :from', { workspaceId, id, from })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** A client's text held for YES was released by the messaging library; true for the one caller that saw it first. */
  async releaseInbound(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.entries
      .createQueryBuilder()
      .update(ConversationEntry)
      .set({ outbox: null })
      .where('workspace_id = :workspaceId AND id = :id AND direction = :inbound AND outbox = :held', { workspaceId, id, inbound: 'inbound', held: 'held' })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async markConsumed(workspaceId: string, messageId: string, flowRunId: string): Promise<ConversationEntry | null> {
    await this.entries.update({ workspaceId, messageId }, { consumedByFlowRunId: flowRunId });
    return this.byMessage(workspaceId, messageId);
  }

  /** A page of the timeline, newest first, before a (created_at, seq) cursor. */
  page(workspaceId: string, conversationId: string, before: { createdAt: Date; seq: string } | undefined, limit: number): Promise<ConversationEntry[]> {
    const qb = this.entries.createQueryBuilder('e').where('e.workspace_id = :workspaceId AND e.conversation_id = :conversationId', { workspaceId, conversationId });
    if (before) {
      qb.andWhere(
        new Brackets((w) =>
          w.where('e.created_at < :bAt', { bAt: before.createdAt }).orWhere('e.created_at = :bAt AND e.seq < :bSeq', { bAt: before.createdAt, bSeq: before.seq }),
        ),
      );
    }
    return qb.orderBy('e.created_at', 'DESC').addOrderBy('e.seq', 'DESC').limit(limit).getMany();
  }
}
