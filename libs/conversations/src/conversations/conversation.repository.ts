import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { Conversation, EntryDirection } from './conversation.entity';

/** Which conversations a caller may see: all (admins), or the team inbox plus one agent's. */
export type Visibility = { all: true } | { all: false; agentId: string | null };

export interface ConversationPage {
  visibility: Visibility;
  agentId?: string | null;
  /** Only those awaiting a YES, or whose contact opted out of conversational texts. */
  state?: 'awaiting_opt_in' | 'opted_out';
  /** Part of the contact's name or phone number. */
  search?: string;
  /** Keyset cursor: the last row of the previous page. */
  before?: { lastActivityAt: Date; id: string };
  limit: number;
}

/** The conversation table's queries; every one takes the workspace id. */
@Injectable()
export class ConversationRepository {
  constructor(@InjectRepository(Conversation) private readonly conversations: Repository<Conversation>) {}

  get(workspaceId: string, id: string): Promise<Conversation | null> {
    return this.conversations.findOne({ where: { workspaceId, id } });
  }

  byContact(workspaceId: string, contactId: string): Promise<Conversation | null> {
    return this.conversations.findOne({ where: { workspaceId, contactId } });
  }

  /** The contact's conversation, created for `agentId` when there is none (concurrent callers get the same row). */
  async ensure(workspaceId: string, contactId: string, agentId: string | null, now: Date): Promise<{ conversation: Conversation; created: boolean }> {
    const result = await this.conversations
      .createQueryBuilder()
      .insert()
      .into(Conversation)
      .values({ workspaceId, contactId, agentId, lastActivityAt: now, unreadCount: 0 })
      .orIgnore()
      .returning(['id'])
      .execute();
    const created = (result.raw as { id: string }[]).length > 0;
    return { conversation: (await this.byContact(workspaceId, contactId))!, created };
  }

  /** The inbox, most recent activity first. */
  list(workspaceId: string, page: ConversationPage): Promise<Conversation[]> {
    const qb = this.conversations.createQueryBuilder('c').where('c.workspace_id = :workspaceId', { workspaceId });
    if (!page.visibility.all) {
      const mine = page.visibility.agentId;
      qb.andWhere(mine ? '(c.agent_id IS NULL OR c.agent_id = :mine)' : 'c.agent_id IS NULL', { mine });
    }
    if (page.agentId !== undefined) qb.andWhere(page.agentId === null ? 'c.agent_id IS NULL' : 'c.agent_id = :agentId', { agentId: page.agentId });
    if (page.state === 'awaiting_opt_in') qb.andWhere('c.opt_in_requested_at IS NOT NULL');
    if (page.state === 'opted_out') {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM consent_state cs WHERE cs.workspace_id = c.workspace_id AND cs.contact_id = c.contact_id AND cs.message_type = 'conversational' AND cs.state = 'opted_out')`,
      );
    }
    if (page.search) {
      const pattern = `%${page.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      // A number typed with spaces or dashes still finds the E.164 phone.
      const digits = /^[\d\s()+.-]+$/.test(page.search) ? page.search.replace(/\D/g, '') : '';
      qb.andWhere(
        `EXISTS (SELECT 1 FROM contact ct WHERE ct.workspace_id = c.workspace_id AND ct.id = c.contact_id AND (ct.phone ILIKE :phonePattern OR concat_ws(' ', ct.first_name, ct.last_name) ILIKE :pattern))`,
        { pattern, phonePattern: digits ? `%${digits}%` : pattern },
      );
    }
    if (page.before) {
      const b = page.before;
      qb.andWhere(
        new Brackets((w) =>
          w.where('c.last_activity_at < :bAt', { bAt: b.lastActivityAt }).orWhere('c.last_activity_at = :bAt AND c.id < :bId', { bAt: b.lastActivityAt, bId: b.id }),
        ),
      );
    }
    return qb.orderBy('c.last_activity_at', 'DESC').addOrderBy('c.id', 'DESC').limit(page.limit).getMany();
  }

  /** Records a new timeline entry on the conversation: inbox order, preview, unread count. */
  async touch(workspaceId: string, id: string, change: { at: Date; preview: string | null; direction: EntryDirection; unread: number }): Promise<void> {
    await this.conversations
      .createQueryBuilder()
      .update(Conversation)
      .set({
        lastActivityAt: () => 'GREATEST(last_activity_at, :at)',
        lastPreview: change.preview,
        lastDirection: change.direction,
        unreadCount: () => `unread_count + ${Math.max(0, Math.trunc(change.unread))}`,
      })
      .where('workspace_id = :workspaceId AND id = :id', { workspaceId, id, at: change.at })
      .execute();
  }

  async markRead(workspaceId: string, id: string, at: Date): Promise<void> {
    await this.conversations.update({ workspaceId, id }, { unreadCount: 0, lastReadAt: at });
  }

  async assign(workspaceId: string, id: string, agentId: string | null): Promise<void> {
    await this.conversations.update({ workspaceId, id }, { agentId });
  }

  /** Marks the opt-in as asked for, once per pending period: only the caller that flips it asks (concurrent sends ask once). */
  async claimOptInRequest(workspaceId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.conversations
      .createQueryBuilder()
      .update(Conversation)
      .set({ optInRequestedAt: at })
      .where('workspace_id = :workspaceId AND id = :id AND opt_in_requested_at IS NULL', { workspaceId, id })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async clearOptInRequest(workspaceId: string, id: string): Promise<void> {
    await this.conversations.update({ workspaceId, id }, { optInRequestedAt: null });
  }

  /** Disclaimer mode: records that the contact was told who texts them; true for the one caller that changed it. */
  async claimDisclosure(workspaceId: string, id: string, as: string): Promise<boolean> {
    const result = await this.conversations
      .createQueryBuilder()
      .update(Conversation)
      .set({ disclosedAs: as })
      .where('workspace_id = :workspaceId AND id = :id AND disclosed_as IS DISTINCT FROM :as', { workspaceId, id, as })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** Contact erasure: the thread goes with the person (entries cascade). */
  async deleteForContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.delete(Conversation, { workspaceId, contactId });
  }
}
