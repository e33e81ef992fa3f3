import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, LessThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TriggerEvent, TriggerEventOutcome, TriggerEventStatus } from './trigger-event.entity';

export interface TriggerEventFilter {
  type?: string;
  status?: TriggerEventStatus;
  pluginId?: string;
  installationId?: string;
  contactId?: string;
  /** Keyset cursor: events received before this one. */
  before?: { receivedAt: Date; id: string };
  limit: number;
}

/** The queries on trigger_event, each scoped by workspace. */
@Injectable()
export class TriggerEventRepository {
  constructor(@InjectRepository(TriggerEvent) private readonly rows: Repository<TriggerEvent>) {}

  /**
   * Inserts in one statement, skipping rows whose dedupe key is already stored (ON CONFLICT DO
   * NOTHING on the unique index). Returns the ids of the rows inserted, by dedupe key.
   */
  async insertNew(rows: Partial<TriggerEvent>[]): Promise<Map<string, string>> {
    if (rows.length === 0) return new Map();
    const result = await this.rows
      .createQueryBuilder()
      .insert()
      .into(TriggerEvent)
      .values(rows as QueryDeepPartialEntity<TriggerEvent>[])
      .orIgnore()
      .returning('"id", "dedupe_key"')
      .execute();
    const raw = result.raw as { id: string; dedupe_key: string }[];
    return new Map(raw.map((r) => [r.dedupe_key, r.id]));
  }

  /** The stored events with these dedupe keys for one source (used to answer duplicates). */
  findByDedupeKeys(workspaceId: string, installationId: string | null, pluginId: string, keys: string[]): Promise<TriggerEvent[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.rows.find({
      where: installationId ? { workspaceId, installationId, dedupeKey: In(keys) } : { workspaceId, pluginId, dedupeKey: In(keys) },
    });
  }

  findById(workspaceId: string, id: string): Promise<TriggerEvent | null> {
    return this.rows.findOne({ where: { workspaceId, id } });
  }

  list(workspaceId: string, filter: TriggerEventFilter): Promise<TriggerEvent[]> {
    const query = this.rows.createQueryBuilder('event').where('event.workspace_id = :workspaceId', { workspaceId });
    if (filter.type) query.andWhere('event.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('event.status = :status', { status: filter.status });
    if (filter.pluginId) query.andWhere('event.plugin_id = :pluginId', { pluginId: filter.pluginId });
    if (filter.installationId) query.andWhere('event.installation_id = :installationId', { installationId: filter.installationId });
    if (filter.contactId) query.andWhere('event.contact_id = :contactId', { contactId: filter.contactId });
    const before = filter.before;
    if (before) {
      query.andWhere(
        new Brackets((b) =>
          b
            .where('event.received_at < :beforeAt', { beforeAt: before.receivedAt })
            .orWhere('(event.received_at = :beforeAt AND event.id < :beforeId)', { beforeId: before.id }),
        ),
      );
    }
    return query.orderBy('event.received_at', 'DESC').addOrderBy('event.id', 'DESC').take(filter.limit).getMany();
  }

  /** Events per status for each installation, in one query. */
  async countsByInstallation(workspaceId: string, installationIds: string[]): Promise<Map<string, Partial<Record<TriggerEventStatus, number>>>> {
    const counts = new Map<string, Partial<Record<TriggerEventStatus, number>>>();
    if (installationIds.length === 0) return counts;
    const rows = (await this.rows
      .createQueryBuilder('event')
      .select('event.installation_id', 'installationId')
      .addSelect('event.status', 'status')
      .addSelect('COUNT(*)::int', 'count')
      .where('event.installation_id IN (:...installationIds)', { installationIds })
      .andWhere('event.workspace_id = :workspaceId', { workspaceId })
      .groupBy('event.installation_id')
      .addGroupBy('event.status')
      .getRawMany()) as { installationId: string; status: TriggerEventStatus; count: number }[];
    for (const row of rows) counts.set(row.installationId, { ...counts.get(row.installationId), [row.status]: row.count });
    return counts;
  }

  async update(workspaceId: string, id: string, fields: Partial<Pick<TriggerEvent, 'status' | 'outcome' | 'contactId' | 'processedAt' | 'replayCount'>>): Promise<void> {
    await this.rows.update({ workspaceId, id }, fields as never);
  }

  async saveOutcome(workspaceId: string, id: string, outcome: TriggerEventOutcome, contactId?: string | null): Promise<void> {
    await this.rows.update({ workspaceId, id }, { outcome: outcome as never, ...(contactId !== undefined && { contactId }) });
  }

  /** Events still 'received' before a time: their dispatch may have been lost with Redis (law 3). */
  stillReceived(before: Date, limit: number): Promise<Pick<TriggerEvent, 'id' | 'workspaceId'>[]> {
    return this.rows.find({ select: { id: true, workspaceId: true }, where: { status: 'received', receivedAt: LessThan(before) }, take: limit, order: { receivedAt: 'ASC' } });
  }
}
