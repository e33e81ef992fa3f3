import { Injectable } from '@nestjs/common';
import { invalidField, NotFoundError } from '@optline/core';
import { Link } from '../links/link.entity';
import { LinkService } from '../links/link.service';
import { Message } from './message.entity';
import { MessageListFilter, MessageRepository } from './message.repository';

export type MessageLogQuery = Omit<MessageListFilter, 'before' | 'limit'> & { cursor?: string; limit?: number };

/** Reading the message log: one message with its links, or pages of messages filtered. */
@Injectable()
export class MessageLogService {
  constructor(
    private readonly messages: MessageRepository,
    private readonly links: LinkService,
  ) {}

  async get(workspaceId: string, id: string): Promise<{ message: Message; links: Link[] }> {
    const message = await this.messages.get(workspaceId, id);
    if (!message) throw new NotFoundError('Message', id);
    return { message, links: await this.links.forMessage(workspaceId, id) };
  }

  async list(workspaceId: string, query: MessageLogQuery): Promise<{ data: Message[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const data = await this.messages.list(workspaceId, { ...query, before: query.cursor ? decodeCursor(query.cursor) : undefined, limit });
    const last = data[data.length - 1];
    return { data, nextCursor: data.length === limit && last ? encodeCursor(last) : null };
  }
}

function encodeCursor(message: Message): string {
  return Buffer.from(`${message.createdAt.toISOString()}|${message.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) throw invalidField('cursor', 'cursor is not one this API gave out');
  return { createdAt, id };
}
