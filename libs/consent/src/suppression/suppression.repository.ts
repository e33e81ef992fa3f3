import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Suppression } from './suppression.entity';

export interface SuppressionDraft {
  phoneHash: string;
  phone: string | null;
  reason: string;
  actor: string;
}

/** Queries of the suppression list, by workspace and keyed phone hash. */
@Injectable()
export class SuppressionRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Inserts the entries not yet present; returns the hashes it inserted. */
  async insertMany(workspaceId: string, drafts: SuppressionDraft[], manager: EntityManager): Promise<Set<string>> {
    if (drafts.length === 0) return new Set();
    const rows: { phone_hash: string }[] = await manager.query(
      `INSERT INTO suppression (workspace_id, phone_hash, phone, reason, actor)
       SELECT $1, x.phone_hash, x.phone, x.reason, x.actor FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(phone_hash, phone, reason, actor)
       ON CONFLICT (workspace_id, phone_hash) DO NOTHING
       RETURNING phone_hash`,
      [workspaceId, drafts.map((d) => d.phoneHash), drafts.map((d) => d.phone), drafts.map((d) => d.reason), drafts.map((d) => d.actor)],
    );
    return new Set(rows.map((r) => r.phone_hash));
  }

  async delete(workspaceId: string, phoneHash: string, manager: EntityManager): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare DELETE with [rows, count] rather than rows.
    const [row]: { n: number }[] = await manager.query(
      'WITH gone AS (DELETE FROM suppression WHERE workspace_id = $1 AND phone_hash = $2 RETURNING id) SELECT count(*)::int AS n FROM gone',
      [workspaceId, phoneHash],
    );
    return row.n > 0;
  }

  async blankPhone(workspaceId: string, phoneHash: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE suppression SET phone = NULL WHERE workspace_id = $1 AND phone_hash = $2', [workspaceId, phoneHash]);
  }

  /** One query, whatever the number of hashes. */
  async presentAmong(workspaceId: string, hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: { phone_hash: string }[] = await this.dataSource.query(
      'SELECT phone_hash FROM suppression WHERE workspace_id = $1 AND phone_hash = ANY($2::text[])',
      [workspaceId, hashes],
    );
    return new Set(rows.map((r) => r.phone_hash));
  }

  async find(workspaceId: string, phoneHash: string): Promise<Suppression | null> {
    return this.dataSource.getRepository(Suppression).findOne({ where: { workspaceId, phoneHash } });
  }

  async page(workspaceId: string, after: string | undefined, limit: number): Promise<Suppression[]> {
    const qb = this.dataSource
      .getRepository(Suppression)
      .createQueryBuilder('s')
      .where('s.workspace_id = :workspaceId', { workspaceId })
      .orderBy('s.id', 'ASC')
      .limit(limit);
    if (after) qb.andWhere('s.id > :after', { after });
    return qb.getMany();
  }
}
