import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { PluginWriteback, WritebackStatus } from './plugin-writeback.entity';

/** The queries on plugin_writeback, each scoped by workspace. */
@Injectable()
export class WritebackRepository {
  constructor(@InjectRepository(PluginWriteback) private readonly rows: Repository<PluginWriteback>) {}

  /** Inserts the write-backs not recorded yet (one per installation and ledger entry); returns the new ones. */
  async insertNew(rows: Partial<PluginWriteback>[]): Promise<Pick<PluginWriteback, 'installationId' | 'consentEventId'>[]> {
    if (rows.length === 0) return [];
    const result = await this.rows
      .createQueryBuilder()
      .insert()
      .into(PluginWriteback)
      .values(rows as QueryDeepPartialEntity<PluginWriteback>[])
      .orIgnore()
      .returning('"installation_id", "consent_event_id"')
      .execute();
    return (result.raw as { installation_id: string; consent_event_id: string }[]).map((r) => ({
      installationId: r.installation_id,
      consentEventId: r.consent_event_id,
    }));
  }

  find(workspaceId: string, installationId: string, consentEventId: string): Promise<PluginWriteback | null> {
    return this.rows.findOne({ where: { workspaceId, installationId, consentEventId } });
  }

  async update(workspaceId: string, id: string, fields: Partial<Pick<PluginWriteback, 'status' | 'attempts' | 'lastError'>>): Promise<void> {
    await this.rows.update({ workspaceId, id }, fields);
  }

  /** Write-backs per status for each installation, in one query. */
  async countsByInstallation(workspaceId: string, installationIds: string[]): Promise<Map<string, Partial<Record<WritebackStatus, number>>>> {
    const counts = new Map<string, Partial<Record<WritebackStatus, number>>>();
    if (installationIds.length === 0) return counts;
    const rows = (await this.rows
      .createQueryBuilder('w')
      .select('w.installation_id', 'installationId')
      .addSelect('w.status', 'status')
      .addSelect('COUNT(*)::int', 'count')
      .where('w.workspace_id = :workspaceId', { workspaceId })
      .andWhere('w.installation_id IN (:...installationIds)', { installationIds })
      .groupBy('w.installation_id')
      .addGroupBy('w.status')
      .getRawMany()) as { installationId: string; status: WritebackStatus; count: number }[];
    for (const row of rows) counts.set(row.installationId, { ...counts.get(row.installationId), [row.status]: row.count });
    return counts;
  }
}
