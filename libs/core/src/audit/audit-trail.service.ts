import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../clock/clock';
import { invalidField } from '../errors/domain-error';
import { AuditEvent } from './audit-event.entity';

export interface AuditPage {
  items: AuditEvent[];
  nextCursor: string | null;
}

function encodeCursor(event: AuditEvent): string {
  return Buffer.from(`${event.createdAt.toISOString()}|${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at);
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) throw invalidField('cursor', 'is not a cursor this list gave out');
  return { at: date, id };
}

/** Records who did what (the `actor` of the request's AuthContext) for acts without a ledger of their own. */
@Injectable()
export class AuditTrail {
  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly clock: Clock,
  ) {}

  /** Inside the caller's transaction when given one, so the act and its record commit together. */
  async record(
    workspaceId: string,
    actor: string,
    action: string,
    subject: string | null = null,
    details: Record<string, unknown> = {},
    manager: EntityManager = this.events.manager,
  ): Promise<void> {
    await manager.insert(AuditEvent, { workspaceId, actor, action, subject, details: details as never, createdAt: this.clock.now() });
  }

  /** Newest first, in pages. */
  async list(workspaceId: string, limit = 50, cursor?: string): Promise<AuditPage> {
    const query = this.events
      .createQueryBuilder('e')
      .where('e.workspace_id = :workspaceId', { workspaceId })
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .take(limit + 1);
    if (cursor) {
      const { at, id } = decodeCursor(cursor);
      query.andWhere('(e.created_at, e.id) < (:at, :id)', { at, id });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null };
  }
}
