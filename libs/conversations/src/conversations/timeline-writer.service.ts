import { Injectable } from '@nestjs/common';
import type { Message } from '@optline/messaging';
import { ConversationStreamPublisher } from '../stream/conversation-stream.publisher';
import { ConversationEntry } from './conversation-entry.entity';
import { ConversationEntryRepository, NewEntry } from './conversation-entry.repository';
import { Conversation } from './conversation.entity';
import { ConversationRepository } from './conversation.repository';
import { EntryView, presentEntry, previewOf } from './entry.presenter';

/**
 * The one way entries are written: the entry (once per message or client key), the inbox's
 * order, preview and unread count, and the live event on the stream.
 */
@Injectable()
export class TimelineWriter {
  constructor(
    private readonly entries: ConversationEntryRepository,
    private readonly conversations: ConversationRepository,
    private readonly stream: ConversationStreamPublisher,
  ) {}

  async add(conversation: Conversation, entry: Omit<NewEntry, 'workspaceId' | 'conversationId'>, message: Message | null = null): Promise<{ entry: ConversationEntry; view: EntryView; created: boolean }> {
    const stored = await this.entries.add({ ...entry, workspaceId: conversation.workspaceId, conversationId: conversation.id });
    const view = presentEntry(stored.entry, message);
    if (stored.created) {
      const unread = entry.direction === 'inbound' && !view.held ? 1 : 0;
      await this.conversations.touch(conversation.workspaceId, conversation.id, { at: entry.createdAt, preview: previewOf(view), direction: entry.direction, unread });
      await this.publish(conversation, 'entry.created', view);
    }
    return { entry: stored.entry, view, created: stored.created };
  }

  /** An entry changed (sent after YES, dropped after STOP, a held text released, taken by a flow). */
  async changed(conversation: Conversation, entry: ConversationEntry, message: Message | null, options: { countUnread?: boolean } = {}): Promise<EntryView> {
    const view = presentEntry(entry, message);
    if (options.countUnread) {
      await this.conversations.touch(conversation.workspaceId, conversation.id, { at: entry.createdAt, preview: previewOf(view), direction: entry.direction, unread: 1 });
    }
    await this.publish(conversation, 'entry.updated', view);
    return view;
  }

  async publish(conversation: Pick<Conversation, 'workspaceId' | 'id' | 'agentId'>, type: 'entry.created' | 'entry.updated', view: EntryView): Promise<void> {
    await this.stream.publish({
      type,
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      agentId: conversation.agentId,
      at: new Date(view.createdAt).toISOString(),
      data: view as unknown as Record<string, unknown>,
    });
  }
}
