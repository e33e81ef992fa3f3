import { Injectable } from '@nestjs/common';
import { Clock } from '@optline/core';
import { ConversationEntry } from '../conversations/conversation-entry.entity';
import { ConversationEntryRepository } from '../conversations/conversation-entry.repository';
import { Conversation } from '../conversations/conversation.entity';
import { EntryView, presentEntry } from '../conversations/entry.presenter';
import { TimelineWriter } from '../conversations/timeline-writer.service';
import { ConversationGateway } from './conversation-gateway.service';

export interface AgentAuthor {
  agentId: string | null;
  senderName: string;
  clientKey: string;
}

/** The gateway idempotency key of an agent's text: the caller's key, scoped to the conversation. */
export function agentMessageKey(conversationId: string, clientKey: string): string {
  return `conversation:${conversationId}:${clientKey}`;
}

/**
 * Agent texts waiting for YES (consent mode, docs/decisions/0132): kept here, not in the gateway,
 * so they leave in the order written after YES and are refused — recorded blocked — after STOP.
 */
@Injectable()
export class ConversationOutbox {
  constructor(
    private readonly entries: ConversationEntryRepository,
    private readonly timeline: TimelineWriter,
    private readonly outbound: ConversationGateway,
    private readonly clock: Clock,
  ) {}

  /** The entry an earlier call with the same Idempotency-Key made, as it stands now. */
  async replay(conversation: Conversation, clientKey: string): Promise<EntryView | null> {
    const entry = await this.entries.byClientKey(conversation.workspaceId, conversation.id, clientKey);
    if (!entry) return null;
    return presentEntry(entry, entry.messageId ? await this.outbound.find(entry.workspaceId, entry.messageId) : null);
  }

  async hold(conversation: Conversation, body: string, author: AgentAuthor): Promise<{ entry: ConversationEntry; view: EntryView; created: boolean }> {
    return this.timeline.add(conversation, { direction: 'outbound', role: 'agent', body, outbox: 'held', ...author, createdAt: this.clock.now() });
  }

  async hasHeld(conversation: Conversation): Promise<boolean> {
    return (await this.entries.held(conversation.workspaceId, conversation.id)).length > 0;
  }

  /** After YES/START: each held text is submitted and dispatched before the next, so they arrive in order. */
  async release(conversation: Conversation): Promise<void> {
    for (const entry of await this.entries.held(conversation.workspaceId, conversation.id)) {
      const message = await this.outbound.sendNow(this.input(conversation, entry));
      if (await this.entries.moveOutbox(conversation.workspaceId, entry.id, 'held', 'submitted', message.id)) {
        await this.timeline.changed(conversation, { ...entry, outbox: 'submitted', messageId: message.id }, message);
      }
    }
  }

  /**
   * After STOP: each held text is offered to the gateway, whose consent policy refuses it, so the
   * log records it blocked (reason opted_out) instead of it silently vanishing.
   */
  async drop(conversation: Conversation): Promise<void> {
    for (const entry of await this.entries.held(conversation.workspaceId, conversation.id)) {
      const message = await this.outbound.sendNow(this.input(conversation, entry));
      const outbox = message.status === 'blocked' ? 'dropped' : 'submitted';
      if (await this.entries.moveOutbox(conversation.workspaceId, entry.id, 'held', outbox, message.id)) {
        await this.timeline.changed(conversation, { ...entry, outbox, messageId: message.id }, message);
      }
    }
  }

  private input(conversation: Conversation, entry: ConversationEntry) {
    return {
      workspaceId: conversation.workspaceId,
      contactId: conversation.contactId,
      type: 'conversational' as const,
      body: entry.body!,
      idempotencyKey: agentMessageKey(conversation.id, entry.clientKey ?? entry.id),
      origin: { conversationId: conversation.id },
    };
  }
}
