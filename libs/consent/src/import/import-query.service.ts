import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@optline/core';
import { cursorBatches } from '@optline/contacts';
import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import { ContactImport, ImportRowOutcome } from './contact-import.entity';
import { normalizeHeader } from './import-row';
import { ImportRepository } from './import.repository';

/** Reads of imports: progress and the rejected-rows report. */
@Injectable()
export class ImportQueryService {
  constructor(private readonly imports: ImportRepository) {}

  async get(workspaceId: string, id: string): Promise<ContactImport> {
    const job = await this.imports.find(workspaceId, id);
    if (!job) throw new NotFoundError('Import', id);
    return job;
  }

  async list(workspaceId: string, limit: number): Promise<ContactImport[]> {
    return this.imports.list(workspaceId, limit);
  }

  /** line, outcome, reason, then the file's own columns, so the rows can be fixed and imported again. */
  async rejectedRowsCsv(workspaceId: string, id: string): Promise<Readable> {
    const job = await this.get(workspaceId, id);
    const header = job.options.header ?? [];
    const keys = header.map(normalizeHeader);
    const batches = cursorBatches<{ line: number; outcome: ImportRowOutcome; reason: string; row: Record<string, string> }>(
      this.imports.dataSource,
      this.imports.rejectionsSql(),
      [workspaceId, id],
    );
    async function* rows() {
      for await (const batch of batches) for (const r of batch) yield [r.line, r.outcome, r.reason, ...keys.map((k) => r.row[k] ?? '')];
    }
    return pipeline(Readable.from(rows()), stringify({ header: true, columns: ['line', 'outcome', 'reason', ...header] }), () => undefined);
  }
}
