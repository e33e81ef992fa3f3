import { Injectable } from '@nestjs/common';
import { Clock, DomainEventBus } from '@optline/core';
import { SendDispatcher } from '../gateway/send-dispatcher.service';
import { Message } from '../message/message.entity';
import { TwimlCollector } from './twiml-collector';

/** Synchronous (TwiML) replies and the `sms.received` announcement. */
@Injectable()
export class InlineReplies {
  constructor(
    private readonly dispatcher: SendDispatcher,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  /**
   * Runs each reply through the policies now and, when they pass, returns its text for the TwiML
   * answer (recorded as sent by `twiml`). A reply the policies hold back stays with its job.
   */
  async deliver(workspaceId: string, replies: Message[]): Promise<string[]> {
    const texts: string[] = [];
    for (const reply of replies) {
      const collector = new TwimlCollector();
      const result = await this.dispatcher.dispatch(workspaceId, reply.id, { provider: { provider: collector, config: collector.config(workspaceId) } });
      if (result === 'sent' && collector.body !== null) texts.push(collector.body);
    }
    return texts;
  }

  async published(message: Message, keyword: string | null, claimedByFlow: boolean): Promise<void> {
    await this.events.publish('sms.received', { workspaceId: message.workspaceId, contactId: message.contactId!, messageId: message.id, body: message.body, keyword, claimedByFlow });
  }
}
