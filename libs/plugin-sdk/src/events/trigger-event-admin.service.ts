import { Injectable } from '@nestjs/common';
import { Clock, DomainError, invalidField, JobQueue, NotFoundError } from '@optline/core';
import { TriggerEvent } from './trigger-event.entity';
import { TriggerEventFilter, TriggerEventRepository } from './trigger-event.repository';

const DEFAULT_PAGE = 50;

function encodeCursor(event: TriggerEvent): string {
  return Buffer.from(`${event.receivedAt.toISOString()}|${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(receivedAt.getTime())) throw invalidField('cursor', 'cursor is not one this API gave out');
  return { receivedAt, id };
}

/** What operators do with stored events: list them with their outcomes, and replay one. */
@Injectable()
export class TriggerEventAdminService {
  constructor(
    private readonly events: TriggerEventRepository,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async list(workspaceId: string, filter: Omit<TriggerEventFilter, 'before' | 'limit'> & { cursor?: string; limit?: number }) {
    const limit = filter.limit ?? DEFAULT_PAGE;
    const page = await this.events.list(workspaceId, { ...filter, before: filter.cursor ? decodeCursor(filter.cursor) : undefined, limit });
    return { events: page, nextCursor: page.length === limit ? encodeCursor(page[page.length - 1]) : null };
  }

  async get(workspaceId: string, id: string): Promise<TriggerEvent> {
    const event = await this.events.findById(workspaceId, id);
    if (!event) throw new NotFoundError('Event', id);
    return event;
  }

  /**
   * Dispatches the event to the consumers (flows) again. The contact and consent steps already
   * took effect and are not repeated; the consumers' previous answers are kept under `replays`.
   */
  async replay(workspaceId: string, id: string): Promise<TriggerEvent> {
    const event = await this.get(workspaceId, id);
    if (event.status === 'received') throw new DomainError('conflict', 'event_not_dispatched_yet', 'The event is still waiting for its first dispatch');
    const { consumers, errors: _errors, replays, ...kept } = event.outcome;
    const outcome = { ...kept, replays: [...(replays ?? []), { at: this.clock.now().toISOString(), consumers: consumers ?? {} }] };
    const replayCount = event.replayCount + 1;
    await this.events.update(workspaceId, id, { status: 'received', outcome, processedAt: null, replayCount });
    await this.jobs.enqueue('event.dispatch', { workspaceId, triggerEventId: id }, { attempt: `replay-${replayCount}` });
    return { ...event, status: 'received', outcome, processedAt: null, replayCount };
  }
}
