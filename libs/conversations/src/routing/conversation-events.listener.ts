import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainEventBus, DomainEventMap } from '@optline/core';
import { ConversationRepository } from '../conversations/conversation.repository';
import { InboundRouter } from './inbound-router.service';
import { OptInCoordinator } from './opt-in-coordinator.service';

/**
 * Subscribes the conversations library to the hub's domain events. It subscribes at application
 * bootstrap — after every module's onModuleInit, where flows subscribe — so for one inbound text
 * the bus calls flows first and the inbox last (docs/decisions/0134).
 */
@Injectable()
export class ConversationEventsListener implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConversationEventsListener.name);
  private subscribed = false;

  constructor(
    private readonly bus: DomainEventBus,
    private readonly router: InboundRouter,
    private readonly optIn: OptInCoordinator,
    private readonly conversations: ConversationRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    this.bus.subscribe('sms.received', (event) => this.router.smsReceived(event));
    this.bus.subscribe('flow.reply_taken', (event) => this.router.replyTaken(event));
    this.bus.subscribe('message.status_changed', (event) => this.router.statusChanged(event));
    this.bus.subscribe('consent.changed', (event) => this.consentChanged(event));
  }

  /** Keyword changes arrive with their text (sms.received); this handles every other source. */
  async consentChanged(event: DomainEventMap['consent.changed']): Promise<void> {
    if (event.source === 'sms_keyword' || event.messageType !== 'conversational') return;
    if (event.state !== 'opted_in' && event.state !== 'opted_out') return;
    const conversation = await this.conversations.byContact(event.workspaceId, event.contactId);
    if (!conversation) return;
    this.logger.debug({ conversationId: conversation.id, state: event.state, source: event.source }, 'consent changed outside the conversation');
    await this.optIn.consentChanged(conversation, event.state);
  }
}
