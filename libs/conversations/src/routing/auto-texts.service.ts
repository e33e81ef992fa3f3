import { Injectable } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { Clock, PreferenceLinks } from '@optline/core';
import type { Message } from '@optline/messaging';
import { AgentRepository } from '../agents/agent.repository';
import { Conversation } from '../conversations/conversation.entity';
import { ConversationRepository } from '../conversations/conversation.repository';
import { TimelineWriter } from '../conversations/timeline-writer.service';
import { ConversationSettingsService, EffectiveSettings } from '../settings/conversation-settings.service';
import { ConversationTextKey } from '../settings/conversation-texts';
import { ConversationGateway } from './conversation-gateway.service';

/** Whom a disclaimer names: the agent, or the team inbox. */
export function disclosureKey(agentId: string | null): string {
  return agentId ?? 'team';
}

/**
 * The texts the hub writes in a conversation: the opt-in request and the disclaimers to the
 * contact (SMS through the gateway) and the notices to staff (timeline entries only).
 */
@Injectable()
export class AutoTexts {
  constructor(
    private readonly settings: ConversationSettingsService,
    private readonly conversations: ConversationRepository,
    private readonly timeline: TimelineWriter,
    private readonly outbound: ConversationGateway,
    private readonly clock: Clock,
    private readonly agents: AgentRepository,
    private readonly preferences: PreferenceLinks,
  ) {}

  /** The name a conversation's automatic texts use: its agent's, or the team inbox's. */
  async ownerName(settings: EffectiveSettings, conversation: Pick<Conversation, 'workspaceId' | 'agentId'>): Promise<string> {
    const agent = conversation.agentId ? await this.agents.get(conversation.workspaceId, conversation.agentId) : null;
    return agent?.displayName ?? settings.teamName;
  }

  /**
   * Consent mode: asks the contact for YES in the agent's name, once per pending period (the
   * conversation's claim; the gateway enforces the same rule per contact), and tells the agent.
   */
  async requestOptIn(settings: EffectiveSettings, conversation: Conversation, contact: Contact, agentName: string, cause: string, apiKeyId: string | null): Promise<void> {
    if (!(await this.conversations.claimOptInRequest(conversation.workspaceId, conversation.id, this.clock.now()))) return;
    const request = await this.outbound.sendNow({
      workspaceId: conversation.workspaceId,
      contactId: contact.id,
      type: 'system',
      body: await this.render(settings, 'optInRequest', agentName, contact),
      idempotencyKey: `conversation:${conversation.id}:opt_in_request:${cause}`,
      origin: { conversationId: conversation.id, systemKind: 'opt_in_request', ...(apiKeyId && { apiKeyId }) },
    });
    await this.timeline.add(conversation, { direction: 'outbound', role: 'opt_in_request', messageId: request.id, senderName: agentName, createdAt: request.createdAt }, request);
    // The gateway allows one request per pending period: when it refused ours, the contact was already asked.
    if (request.status !== 'blocked') await this.notice(settings, conversation, contact, 'agentOptInRequested', 'opt_in_requested', agentName);
  }

  /** Disclaimer mode: tells the contact who texts them, once per agent and conversation. */
  async discloseOnce(
    settings: EffectiveSettings,
    conversation: Conversation,
    contact: Contact,
    agentId: string | null,
    agentName: string,
    key: 'disclaimerOutbound' | 'disclaimerInbound',
    cause: string,
  ): Promise<Message | null> {
    if (!(await this.conversations.claimDisclosure(conversation.workspaceId, conversation.id, disclosureKey(agentId)))) return null;
    const message = await this.outbound.sendNow({
      workspaceId: conversation.workspaceId,
      contactId: contact.id,
      type: 'conversational',
      body: await this.render(settings, key, agentName, contact),
      idempotencyKey: `conversation:${conversation.id}:disclaimer:${cause}`,
      origin: { conversationId: conversation.id },
    });
    await this.timeline.add(conversation, { direction: 'outbound', role: 'disclaimer', messageId: message.id, senderName: agentName, createdAt: message.createdAt }, message);
    return message;
  }

  /** A notice to staff in the conversation (not an SMS). */
  async notice(settings: EffectiveSettings, conversation: Conversation, contact: Contact, key: ConversationTextKey, code: string, agentName: string): Promise<void> {
    const body = await this.render(settings, key, agentName, contact);
    await this.timeline.add(conversation, { direction: 'notice', role: 'notice', noticeCode: code, body, createdAt: this.clock.now() });
  }

  private render(settings: EffectiveSettings, key: ConversationTextKey, agentName: string, contact: Contact): Promise<string> {
    return this.settings.render(settings, key, {
      agent: { name: agentName },
      contact: { firstName: contact.firstName, lastName: contact.lastName },
      preference_url: this.preferences.urlFor(contact.workspaceId, contact.id),
    });
  }
}
