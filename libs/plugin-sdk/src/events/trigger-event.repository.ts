import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, In, LessThan, Repository } from 'typeorm';
import { TriggerEvent, TriggerEventOutcome, TriggerEventStatus } from './trigger-event.entity';

/** The type of a delivery kept although its body could not be read. */
export const UNPARSABLE_EVENT_TYPE = 'webhook.unparsable';

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

/** A new event's columns; status 'received', no contact, no outcome yet (the column defaults). */
export type NewTriggerEvent = Pick<
  TriggerEvent,
  'workspaceId' | 'installationId' | 'pluginId' | 'type' | 'dedupeKey' | 'occurredAt' | 'correlation' | 'payload' | 'contactHint' | 'consentHint' | 'receivedAt'
> &
  Partial<Pick<TriggerEvent, 'traceContext'>>;

/**
 * What makes an event unique, as the two unique indexes say: (workspace, installation, dedupe
 * key) for plugin events, (workspace, plugin, dedupe key) for the hub's own (no installation).
 */
export function eventSourceKey(row: Pick<TriggerEvent, 'workspaceId' | 'installationId' | 'pluginId' | 'dedupeKey'>): string {
  return row.installationId ? `${row.workspaceId}|i:${row.installationId}|${row.dedupeKey}` : `${row.workspaceId}|p:${row.pluginId}|${row.dedupeKey}`;
}

/** The queries on trigger_event, each scoped by workspace. */
@Injectable()
export class TriggerEventRepository {
  constructor(@InjectRepository(TriggerEvent) private readonly rows: Repository<TriggerEvent>) {}

  /**
   * Inserts in one statement, skipping rows whose dedupe key is already stored (ON CONFLICT DO
   * NOTHING on either unique index, also between rows of this statement). The rows may come from
   * many workspaces and sources (a group commit of concurrent deliveries), so the ids of the rows
   * inserted are returned by `eventSourceKey`. Plain SQL over arrays: one statement of fixed
   * shape whatever the row count, and no query building on the webhook path.
   */
  /**
   * A delivery that could not be read (a body that is not JSON), kept as a `failed` event with
   * the reason so it shows beside the others; a redelivery of the same bytes is the same row.
   * Returns the row's id, or null when it was already stored.
   */
  async insertFailed(row: { workspaceId: string; installationId: string; pluginId: string; dedupeKey: string; receivedAt: Date; payload: Record<string, unknown>; error: string }): Promise<string | null> {
    const rows: { id: string }[] = await this.rows.manager.query(
      `INSERT INTO trigger_event (workspace_id, installation_id, plugin_id, type, dedupe_key, occurred_at, payload, status, outcome, received_at, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'failed', $8, $6, $6)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [row.workspaceId, row.installationId, row.pluginId, UNPARSABLE_EVENT_TYPE, row.dedupeKey, row.receivedAt, JSON.stringify(row.payload), JSON.stringify({ errors: { body: row.error } })],
    );
    return rows[0]?.id ?? null;
  }

  async insertNew(rows: NewTriggerEvent[]): Promise<Map<string, string>> {
    if (rows.length === 0) return new Map();
    const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
    const raw = (await this.rows.manager.query(
      `INSERT INTO trigger_event (workspace_id, installation_id, plugin_id, type, dedupe_key, occurred_at, correlation, payload, contact_hint, consent_hint, received_at, trace_context)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::jsonb[], $9::jsonb[], $10::jsonb[], $11::timestamptz[], $12::text[])
       ON CONFLICT DO NOTHING
       RETURNING id, workspace_id, installation_id, plugin_id, dedupe_key`,
      [
        rows.map((r) => r.workspaceId),
        rows.map((r) => r.installationId),
        rows.map((r) => r.pluginId),
        rows.map((r) => r.type),
        rows.map((r) => r.dedupeKey),
        rows.map((r) => r.occurredAt),
        rows.map((r) => json(r.correlation ?? {})),
        rows.map((r) => json(r.payload ?? {})),
        rows.map((r) => json(r.contactHint)),
        rows.map((r) => json(r.consentHint)),
        rows.map((r) => r.receivedAt),
        rows.map((r) => r.traceContext ?? null),
      ],
    )) as { id: string; workspace_id: string; installation_id: string | null; plugin_id: string; dedupe_key: string }[];
    return new Map(raw.map((r) => [eventSourceKey({ workspaceId: r.workspace_id, installationId: r.installation_id, pluginId: r.plugin_id, dedupeKey: r.dedupe_key }), r.id]));
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

  /** The events of these ids in this workspace (a dispatch batch), in one query. */
  findByIds(workspaceId: string, ids: string[]): Promise<TriggerEvent[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.rows.find({ where: { workspaceId, id: In([...new Set(ids)]) } });
  }

  /**
   * Writes many events' outcome, contact and — when given — status and processed time in one
   * statement (a dispatch batch's steps and results). With a `manager`, inside its transaction.
   */
  async updateMany(
    workspaceId: string,
    rows: { id: string; outcome: TriggerEventOutcome; contactId: string | null; status?: TriggerEventStatus; processedAt?: Date | null }[],
    manager?: EntityManager,
  ): Promise<void> {
    if (rows.length === 0) return;
    await (manager ?? this.rows.manager).query(
      `UPDATE trigger_event e
          SET outcome = x.outcome, contact_id = x.contact_id,
              status = COALESCE(x.status, e.status), processed_at = CASE WHEN x.status IS NULL THEN e.processed_at ELSE x.processed_at END
         FROM unnest($2::uuid[], $3::jsonb[], $4::uuid[], $5::text[], $6::timestamptz[]) AS x(id, outcome, contact_id, status, processed_at)
        WHERE e.workspace_id = $1 AND e.id = x.id`,
      [
        workspaceId,
        rows.map((r) => r.id),
        rows.map((r) => JSON.stringify(r.outcome)),
        rows.map((r) => r.contactId),
        rows.map((r) => r.status ?? null),
        rows.map((r) => r.processedAt ?? null),
      ],
    );
  }
}
