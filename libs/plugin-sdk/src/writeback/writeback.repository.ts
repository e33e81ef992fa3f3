import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { PluginWriteback, WritebackStatus } from './plugin-writeback.entity';

/** A write-back that failed at least once, as the installation status shows it. */
export interface WritebackProblem {
  consentEventId: string;
  contactId: string;
  messageType: string;
  state: string;
  status: WritebackStatus;
  attempts: number;
  lastError: string | null;
  at: Date;
}

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

  /**
   * The latest write-backs that failed at least once (still retrying, or given up), newest first,
   * up to `perInstallation` for each installation, in one query: the timeline an operator reads.
   */
  async recentProblems(workspaceId: string, installationIds: string[], perInstallation = 10): Promise<Map<string, WritebackProblem[]>> {
    const problems = new Map<string, WritebackProblem[]>();
    if (installationIds.length === 0) return problems;
    const rows: (WritebackProblem & { installationId: string })[] = await this.rows.query(
      `SELECT installation_id AS "installationId", consent_event_id AS "consentEventId", contact_id AS "contactId",
              message_type AS "messageType", state, status, attempts, last_error AS "lastError", updated_at AS "at"
         FROM (SELECT w.*, row_number() OVER (PARTITION BY installation_id ORDER BY updated_at DESC) AS rank
                 FROM plugin_writeback w
                WHERE workspace_id = $1 AND installation_id = ANY($2::uuid[]) AND last_error IS NOT NULL) ranked
        WHERE rank <= $3
        ORDER BY "at" DESC`,
      [workspaceId, installationIds, perInstallation],
    );
    for (const { installationId, ...problem } of rows) problems.set(installationId, [...(problems.get(installationId) ?? []), problem]);
    return problems;
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
