import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ContactImport, ImportOptions, ImportRowOutcome } from './contact-import.entity';

export interface RejectionDraft {
  line: number;
  outcome: ImportRowOutcome;
  reason: string;
  row: Record<string, string>;
}

export interface BatchProgress {
  rowsRead: number;
  created: number;
  updated: number;
  rejected: number;
  consentSkipped: number;
  checkpointLine: number;
}

/** Import rows, the uploaded file's chunks and the rejected rows; scoped by workspace. */
@Injectable()
export class ImportRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ContactImport);
  }

  async create(workspaceId: string, actor: string, fileName: string | null, options: ImportOptions): Promise<ContactImport> {
    return this.repo.save(this.repo.create({ workspaceId, actor, fileName, options, status: 'uploading' }));
  }

  async find(workspaceId: string, id: string): Promise<ContactImport | null> {
    return this.repo.findOne({ where: { workspaceId, id } });
  }

  async list(workspaceId: string, limit: number): Promise<ContactImport[]> {
    return this.repo.find({ where: { workspaceId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async addChunk(importId: string, seq: number, data: Buffer): Promise<void> {
    await this.dataSource.query('INSERT INTO contact_import_chunk (import_id, seq, data) VALUES ($1, $2, $3)', [importId, seq, data]);
  }

  /** The next piece of the file, or null after the last. */
  async chunk(importId: string, seq: number): Promise<Buffer | null> {
    const rows: { data: Buffer }[] = await this.dataSource.query('SELECT data FROM contact_import_chunk WHERE import_id = $1 AND seq = $2', [importId, seq]);
    return rows[0]?.data ?? null;
  }

  async dropChunks(importId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM contact_import_chunk WHERE import_id = $1', [importId]);
  }

  async update(workspaceId: string, id: string, change: Partial<ContactImport>): Promise<void> {
    await this.repo.update({ workspaceId, id }, change);
  }

  async setHeader(workspaceId: string, id: string, header: string[]): Promise<void> {
    await this.dataSource.query(`UPDATE contact_import SET options = options || jsonb_build_object('header', $3::jsonb) WHERE workspace_id = $1 AND id = $2`, [
      workspaceId,
      id,
      JSON.stringify(header),
    ]);
  }

  /** Adds one batch's counts and moves the checkpoint, in the batch's transaction. */
  async recordBatch(workspaceId: string, id: string, rejections: RejectionDraft[], progress: BatchProgress, manager: EntityManager): Promise<void> {
    if (rejections.length > 0) {
      await manager.query(
        `INSERT INTO contact_import_rejection (import_id, line, outcome, reason, row)
         SELECT $1, x.line, x.outcome, x.reason, x.row FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[]) AS x(line, outcome, reason, row)
         ON CONFLICT (import_id, line) DO NOTHING`,
        [id, rejections.map((r) => r.line), rejections.map((r) => r.outcome), rejections.map((r) => r.reason), rejections.map((r) => JSON.stringify(r.row))],
      );
    }
    await manager.query(
      `UPDATE contact_import SET rows_read = rows_read + $3, created = created + $4, updated = updated + $5, rejected = rejected + $6,
         consent_skipped = consent_skipped + $7, checkpoint_line = $8
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, progress.rowsRead, progress.created, progress.updated, progress.rejected, progress.consentSkipped, progress.checkpointLine],
    );
  }

  /** SQL of the rejected rows, in file order, for cursorBatches. */
  rejectionsSql(): string {
    return `SELECT r.line, r.outcome, r.reason, r.row FROM contact_import_rejection r
      JOIN contact_import i ON i.id = r.import_id WHERE i.workspace_id = $1 AND r.import_id = $2 ORDER BY r.line`;
  }
}
