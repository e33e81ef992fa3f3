import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainEventMap } from '@optline/core';
import type { Message } from '@optline/messaging';
import { Conversation } from '../conversations/conversation.entity';
import { ConversationRepository } from '../conversations/conversation.repository';
import { ConversationEntryRepository } from '../conversations/conversation-entry.repository';
import { TimelineWriter } from '../conversations/timeline-writer.service';
import { ConversationGateway } from './conversation-gateway.service';
import { OptInCoordinator } from './opt-in-coordinator.service';

/**
 * Brings inbound texts into their conversation (docs/decisions/0134): after keyword handling
 * (the messaging library publishes `sms.received` once it is done) and after flows waiting for a
 * reply had their turn (this handler subscribes last). A contact with no conversation yet lands
 * in the team inbox.
 */
@Injectable()
export class InboundRouter {
  private readonly logger = new Logger(InboundRouter.name);

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly entries: ConversationEntryRepository,
    private readonly timeline: TimelineWriter,
    private readonly outbound: ConversationGateway,
    private readonly optIn: OptInCoordinator,
    private readonly clock: Clock,
  ) {}

  async smsReceived(event: DomainEventMap['sms.received']): Promise<void> {
    const message = await this.outbound.find(event.workspaceId, event.messageId);
    if (!message || message.direction !== 'inbound') return;
    const conversation = await this.attach(message, null);
    // A flow took this text (its run shows it as consumed via `flow.reply_taken`): no auto-texts.
    if (event.claimedByFlow) return;
    switch (event.keyword) {
      case 'yes':
      case 'start':
        await this.optIn.optedInByKeyword(conversation, message, event.keyword);
        break;
      case 'stop':
        await this.optIn.optedOutByKeyword(conversation, message);
        break;
      case 'help':
        await this.optIn.keywordReplies(conversation, message, { sendFirst: false });
        break;
      default:
        await this.optIn.clientWrote(conversation);
    }
  }

  /** A flow run took this reply: it still shows in the conversation, marked as the flow's. */
  async replyTaken(event: DomainEventMap['flow.reply_taken']): Promise<void> {
    const message = await this.outbound.find(event.workspaceId, event.messageId);
    if (!message || message.direction !== 'inbound') return;
    const conversation = await this.attach(message, event.flowRunId);
    const entry = await this.entries.markConsumed(event.workspaceId, message.id, event.flowRunId);
    if (entry) await this.timeline.changed(conversation, entry, message);
  }

  /**
   * Consent mode, the client wrote first: the messaging library holds the text and asks for YES,
   * but announces nothing until YES. The request's status change is the first sign of it, so the
   * held text is attached then and the agent is told someone tried to reach them.
   * (A direct `sms.held` event from messaging would replace this; see the report.)
   */
  async statusChanged(event: DomainEventMap['message.status_changed']): Promise<void> {
    if (!event.contactId || (event.status !== 'sent' && event.status !== 'blocked')) return;
    if (event.type !== 'system' || event.systemKind !== 'opt_in_request') return;
    const request = await this.outbound.find(event.workspaceId, event.messageId);
    const origin = request?.origin ?? {};
    if (!request || request.type !== 'system' || origin.systemKind !== 'opt_in_request' || origin.conversationId || !origin.inReplyTo) return;
    const held = await this.outbound.find(event.workspaceId, origin.inReplyTo);
    if (!held || held.direction !== 'inbound' || held.status !== 'held') return;
    const conversation = await this.attach(held, null);
    await this.optIn.clientAttempted(conversation, request);
  }

  /** The contact's conversation (the team inbox's when new) with this inbound text in it. */
  private async attach(message: Message, flowRunId: string | null): Promise<Conversation> {
    const { conversation } = await this.conversations.ensure(message.workspaceId, message.contactId!, null, this.clock.now());
    const held = message.status === 'held';
    const stored = await this.timeline.add(
      conversation,
      { direction: 'inbound', role: 'client', messageId: message.id, outbox: held ? 'held' : null, consumedByFlowRunId: flowRunId, createdAt: message.createdAt },
      message,
    );
    if (!stored.created && !held && (await this.entries.releaseInbound(message.workspaceId, stored.entry.id))) {
      // Held until YES and now released: the agent sees it (and it counts as unread) from now on.
      await this.timeline.changed(conversation, { ...stored.entry, outbox: null }, message, { countUnread: true });
      this.logger.debug({ conversationId: conversation.id, messageId: message.id }, 'held text released into the conversation');
    }
    return (await this.conversations.get(message.workspaceId, conversation.id)) ?? conversation;
  }
}
