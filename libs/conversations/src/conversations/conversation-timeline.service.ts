import { Injectable } from '@nestjs/common';
import { ConversationGateway } from '../routing/conversation-gateway.service';
import { ConversationEntryRepository } from './conversation-entry.repository';
import { Conversation } from './conversation.entity';
import { EntryView, presentEntry } from './entry.presenter';

/** Reading a conversation's timeline: its entries with their messages' current status. */
@Injectable()
export class ConversationTimeline {
  constructor(
    private readonly entries: ConversationEntryRepository,
    private readonly messages: ConversationGateway,
  ) {}

  /** Oldest first within the page; `before` pages back in time. */
  async page(conversation: Conversation, before: { createdAt: Date; seq: string } | undefined, limit: number): Promise<{ data: EntryView[]; nextCursor: string | null }> {
    const rows = await this.entries.page(conversation.workspaceId, conversation.id, before, limit);
    const withMessage = rows.filter((e) => e.messageId);
    const since = withMessage.reduce<Date | null>((min, e) => (!min || e.createdAt < min ? e.createdAt : min), null);
    const messages = since ? await this.messages.messagesSince(conversation.workspaceId, conversation.contactId, since, withMessage.map((e) => e.messageId!)) : new Map();
    const oldest = rows[rows.length - 1];
    return {
      data: rows.map((e) => presentEntry(e, e.messageId ? messages.get(e.messageId) : null)).reverse(),
      nextCursor: rows.length === limit && oldest ? encodeEntryCursor(oldest.createdAt, oldest.seq) : null,
    };
  }
}

export function encodeEntryCursor(createdAt: Date, seq: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${seq}`).toString('base64url');
}

export function decodeEntryCursor(cursor: string): { createdAt: Date; seq: string } | null {
  const [at, seq] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!seq || !/^\d{1,19}$/.test(seq) || Number.isNaN(createdAt.getTime())) return null;
  return { createdAt, seq };
}
