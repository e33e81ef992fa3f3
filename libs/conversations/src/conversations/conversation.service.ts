import { Injectable } from '@nestjs/common';
import { ConsentService, ConsentStates } from '@optline/consent';
import { Contact, ContactService } from '@optline/contacts';
import { Clock, DomainError, invalidField, NotFoundError } from '@optline/core';
import { Agent } from '../agents/agent.entity';
import { AgentService } from '../agents/agent.service';
import { ConversationStreamPublisher } from '../stream/conversation-stream.publisher';
import { Conversation } from './conversation.entity';
import { ConversationRepository } from './conversation.repository';
import { canSee, Viewer, visibilityOf } from './viewer';

/** A conversation with what the inbox shows beside it. */
export interface ConversationSummary {
  conversation: Conversation;
  contact: Contact | null;
  agent: Agent | null;
  consent: ConsentStates | null;
}

/** The inbox: listing, starting, reading, assigning — always within what the caller may see. */
@Injectable()
export class ConversationService {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
    private readonly agents: AgentService,
    private readonly stream: ConversationStreamPublisher,
    private readonly clock: Clock,
  ) {}

  /** The caller's inbox, most recent first: one query each for conversations, contacts, consent and agents. */
  async list(
    viewer: Viewer,
    query: { agentId?: string | null; filter?: 'mine' | 'unassigned' | 'awaiting_opt_in' | 'opted_out'; search?: string; before?: { lastActivityAt: Date; id: string }; limit: number },
  ): Promise<ConversationSummary[]> {
    let agentId = query.agentId;
    if (query.filter === 'mine') {
      // A caller who is not an agent owns nothing.
      if (!viewer.agent) return [];
      if (agentId !== undefined && agentId !== viewer.agent.id) return [];
      agentId = viewer.agent.id;
    }
    if (query.filter === 'unassigned') {
      if (agentId !== undefined && agentId !== null) return [];
      agentId = null;
    }
    const state = query.filter === 'awaiting_opt_in' || query.filter === 'opted_out' ? query.filter : undefined;
    const rows = await this.conversations.list(viewer.auth.workspaceId, { visibility: visibilityOf(viewer), agentId, state, search: query.search, before: query.before, limit: query.limit });
    return this.summaries(viewer.auth.workspaceId, rows);
  }

  /** A conversation the caller may see; another agent's (or another workspace's) is a 404. */
  async get(viewer: Viewer, id: string): Promise<Conversation> {
    const conversation = await this.conversations.get(viewer.auth.workspaceId, id);
    if (!conversation || !canSee(viewer, conversation)) throw new NotFoundError('Conversation', id);
    return conversation;
  }

  async summary(viewer: Viewer, id: string): Promise<ConversationSummary> {
    return (await this.summaries(viewer.auth.workspaceId, [await this.get(viewer, id)]))[0];
  }

  /**
   * Starts (or finds) the conversation with a phone number. New ones belong to `agentId` when
   * given, else to the calling agent, else to the team inbox. The contact's existing conversation
   * is answered when the caller may see it, else 409 (it is someone else's).
   */
  async start(viewer: Viewer, input: { phone: string; agentId?: string | null }): Promise<{ conversation: Conversation; created: boolean }> {
    const workspaceId = viewer.auth.workspaceId;
    const owner = input.agentId !== undefined ? input.agentId : (viewer.agent?.id ?? null);
    if (owner) await this.agentOrField(workspaceId, owner);
    const { contact } = await this.contacts.upsertByPhone(workspaceId, { phone: input.phone });
    const existing = await this.conversations.byContact(workspaceId, contact.id);
    if (existing) {
      if (!canSee(viewer, existing)) throw new DomainError('conflict', 'conversation_exists', "This contact already has a conversation with another agent; an admin can assign it");
      return { conversation: existing, created: false };
    }
    return this.conversations.ensure(workspaceId, contact.id, owner, this.clock.now());
  }

  async markRead(viewer: Viewer, id: string): Promise<Conversation> {
    const conversation = await this.get(viewer, id);
    const now = this.clock.now();
    await this.conversations.markRead(conversation.workspaceId, id, now);
    await this.stream.publish({ type: 'conversation.read', workspaceId: conversation.workspaceId, conversationId: id, agentId: conversation.agentId, at: now.toISOString(), data: { unreadCount: 0, lastReadAt: now.toISOString() } });
    return (await this.conversations.get(conversation.workspaceId, id))!;
  }

  /** Hands the conversation to an agent, or back to the team inbox (agentId null). */
  async assign(viewer: Viewer, id: string, agentId: string | null): Promise<Conversation> {
    const conversation = await this.get(viewer, id);
    if (agentId) await this.agentOrField(conversation.workspaceId, agentId);
    await this.conversations.assign(conversation.workspaceId, id, agentId);
    await this.stream.publish({
      type: 'conversation.assigned',
      workspaceId: conversation.workspaceId,
      conversationId: id,
      agentId,
      previousAgentId: conversation.agentId,
      at: this.clock.now().toISOString(),
      data: { agentId, previousAgentId: conversation.agentId },
    });
    return (await this.conversations.get(conversation.workspaceId, id))!;
  }

  private async agentOrField(workspaceId: string, agentId: string): Promise<Agent> {
    try {
      return await this.agents.get(workspaceId, agentId);
    } catch (error) {
      if (error instanceof NotFoundError) throw invalidField('agentId', 'no agent with this id in this workspace', 'agent_not_found');
      throw error;
    }
  }

  /** Contacts, consent states and agents for these conversations: one query each. */
  async summaries(workspaceId: string, rows: Conversation[]): Promise<ConversationSummary[]> {
    if (rows.length === 0) return [];
    const contactIds = rows.map((c) => c.contactId);
    const [contacts, states, agents] = await Promise.all([
      this.contacts.getMany(workspaceId, contactIds),
      this.consent.statesFor(workspaceId, contactIds),
      this.agents.getMany(workspaceId, rows.map((c) => c.agentId).filter((a): a is string => a !== null)),
    ]);
    const contactById = new Map(contacts.map((c) => [c.id, c]));
    const agentById = new Map(agents.map((a) => [a.id, a]));
    return rows.map((conversation) => ({
      conversation,
      contact: contactById.get(conversation.contactId) ?? null,
      agent: conversation.agentId ? (agentById.get(conversation.agentId) ?? null) : null,
      consent: states.get(conversation.contactId) ?? null,
    }));
  }
}
