import { Injectable } from '@nestjs/common';
import type { Message } from '@optline/messaging';
import { Conversation } from '../conversations/conversation.entity';
import { ConversationRepository } from '../conversations/conversation.repository';
import { TimelineWriter } from '../conversations/timeline-writer.service';
import { ConversationSettingsService } from '../settings/conversation-settings.service';
import { AutoTexts } from './auto-texts.service';
import { ContactStanding } from './contact-standing.service';
import { ConversationGateway } from './conversation-gateway.service';
import { ConversationOutbox } from './conversation-outbox.service';

/**
 * What a change of the contact's mind does to a conversation (docs/decisions/0133). The keyword
 * itself — the ledger entry and the contact's confirmation — is the messaging library's; here
 * the conversation shows those replies, tells the agent, and releases or drops the held texts.
 */
@Injectable()
export class OptInCoordinator {
  constructor(
    private readonly settings: ConversationSettingsService,
    private readonly standing: ContactStanding,
    private readonly autoTexts: AutoTexts,
    private readonly outbox: ConversationOutbox,
    private readonly outbound: ConversationGateway,
    private readonly timeline: TimelineWriter,
    private readonly conversations: ConversationRepository,
  ) {}

  /**
   * YES or START. The contact's confirmation goes out first (dispatched now), then the held texts
   * in the order they were written. A YES nobody asked for (already opted in) changes nothing here.
   */
  async optedInByKeyword(conversation: Conversation, inbound: Message, keyword: 'yes' | 'start'): Promise<void> {
    await this.keywordReplies(conversation, inbound, { sendFirst: true });
    const { contact, conversational } = await this.standing.of(conversation.workspaceId, conversation.contactId);
    if (conversational !== 'opted_in') return;
    const wasPending = conversation.optInRequestedAt !== null;
    if (keyword === 'yes' && !wasPending && !(await this.hasHeld(conversation))) return;
    await this.conversations.clearOptInRequest(conversation.workspaceId, conversation.id);
    const settings = await this.settings.effective(conversation.workspaceId);
    await this.autoTexts.notice(settings, conversation, contact, 'agentOptedIn', 'opted_in', await this.autoTexts.ownerName(settings, conversation));
    await this.outbox.release(conversation);
  }

  /** STOP: the agent is told, and every held text is refused by the gateway (recorded blocked). */
  async optedOutByKeyword(conversation: Conversation, inbound: Message): Promise<void> {
    const replies = await this.keywordReplies(conversation, inbound, { sendFirst: false });
    const { contact, conversational } = await this.standing.of(conversation.workspaceId, conversation.contactId);
    if (conversational !== 'opted_out') return;
    await this.conversations.clearOptInRequest(conversation.workspaceId, conversation.id);
    // A repeated STOP changes nothing and gets no confirmation: no second notice either.
    if (replies.length > 0) {
      const settings = await this.settings.effective(conversation.workspaceId);
      await this.autoTexts.notice(settings, conversation, contact, 'agentOptedOut', 'opted_out', await this.autoTexts.ownerName(settings, conversation));
    }
    await this.outbox.drop(conversation);
  }

  /** A consent change from elsewhere (API, web form, provider opt-out): same effect on the conversation, no keyword reply. */
  async consentChanged(conversation: Conversation, state: string): Promise<void> {
    const { contact, conversational } = await this.standing.of(conversation.workspaceId, conversation.contactId);
    if (conversational !== state) return;
    const settings = await this.settings.effective(conversation.workspaceId);
    const name = await this.autoTexts.ownerName(settings, conversation);
    if (state === 'opted_in' && (conversation.optInRequestedAt !== null || (await this.hasHeld(conversation)))) {
      await this.conversations.clearOptInRequest(conversation.workspaceId, conversation.id);
      await this.autoTexts.notice(settings, conversation, contact, 'agentOptedIn', 'opted_in', name);
      await this.outbox.release(conversation);
    } else if (state === 'opted_out') {
      await this.conversations.clearOptInRequest(conversation.workspaceId, conversation.id);
      await this.autoTexts.notice(settings, conversation, contact, 'agentOptedOut', 'opted_out', name);
      await this.outbox.drop(conversation);
    }
  }

  /** Disclaimer mode: a client who writes first is told whom they are messaging with. */
  async clientWrote(conversation: Conversation): Promise<void> {
    const settings = await this.settings.effective(conversation.workspaceId);
    if (settings.workspace.optInMode !== 'disclaimer') return;
    const { contact, conversational } = await this.standing.of(conversation.workspaceId, conversation.contactId);
    if (conversational === 'opted_out') return;
    const name = await this.autoTexts.ownerName(settings, conversation);
    await this.autoTexts.discloseOnce(settings, conversation, contact, conversation.agentId, name, 'disclaimerInbound', `inbound:${conversation.id}:${conversation.agentId ?? 'team'}`);
  }

  /** Consent mode, the client wrote first: their text is held, they were asked for YES; the agent is told once. */
  async clientAttempted(conversation: Conversation, request: Message): Promise<void> {
    await this.timeline.add(conversation, { direction: 'outbound', role: 'opt_in_request', messageId: request.id, createdAt: request.createdAt }, request);
    if (!(await this.conversations.claimOptInRequest(conversation.workspaceId, conversation.id, request.createdAt))) return;
    const settings = await this.settings.effective(conversation.workspaceId);
    const { contact } = await this.standing.of(conversation.workspaceId, conversation.contactId);
    await this.autoTexts.notice(settings, conversation, contact, 'agentContactAttempted', 'contact_attempted', await this.autoTexts.ownerName(settings, conversation));
  }

  /**
   * Shows the messaging library's replies to a keyword. After YES or START they are sent first
   * (dispatched now), so they precede the held texts released next. A STOP's or HELP's reply is
   * shown as it stands and left to its send job (priority, ahead of any campaign): dispatching
   * it here kept the carrier's webhook waiting for a rate slot and a provider call — STOP answers
   * took seconds during a throttled campaign (docs/chaos.md).
   */
  async keywordReplies(conversation: Conversation, inbound: Message, { sendFirst }: { sendFirst: boolean }): Promise<Message[]> {
    const replies = await this.outbound.repliesTo(conversation.workspaceId, conversation.contactId, inbound.id);
    const shown: Message[] = [];
    for (const reply of replies) {
      let current = reply;
      if (sendFirst) {
        if (reply.status === 'queued') await this.outbound.dispatchNow(reply.workspaceId, reply.id);
        current = await this.outbound.settled(reply.workspaceId, reply.id);
      }
      await this.timeline.add(conversation, { direction: 'outbound', role: 'keyword_reply', messageId: current.id, createdAt: current.createdAt }, current);
      shown.push(current);
    }
    return shown;
  }

  private async hasHeld(conversation: Conversation): Promise<boolean> {
    return this.outbox.hasHeld(conversation);
  }
}
