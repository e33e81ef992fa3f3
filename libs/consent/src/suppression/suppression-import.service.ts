import { Injectable } from '@nestjs/common';
import { DomainError, WorkspaceService } from '@optline/core';
import { normalizePhone } from '@optline/contacts';
import { CsvError, parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { normalizeHeader } from '../import/import-row';
import { SuppressionService } from './suppression.service';

const BATCH = 1000;
/** Rejections listed in the answer (all are counted). */
const LISTED_REJECTIONS = 200;

export interface SuppressionImportResult {
  rowsRead: number;
  added: number;
  alreadySuppressed: number;
  rejected: number;
  rejections: { line: number; reason: string }[];
}

/**
 * A do-not-contact list as CSV (a `phone` column, optionally `reason`), read as a stream and
 * added in batches, each audited in the ledger. Lists are far smaller than contact imports, so
 * this runs within the request.
 */
@Injectable()
export class SuppressionImportService {
  constructor(
    private readonly suppression: SuppressionService,
    private readonly workspaces: WorkspaceService,
  ) {}

  async import(workspaceId: string, body: Readable, defaultReason: string, actor: string): Promise<SuppressionImportResult> {
    const country = (await this.workspaces.get(workspaceId)).defaultCountry;
    const result: SuppressionImportResult = { rowsRead: 0, added: 0, alreadySuppressed: 0, rejected: 0, rejections: [] };
    const reject = (line: number, reason: string) => {
      result.rejected += 1;
      if (result.rejections.length < LISTED_REJECTIONS) result.rejections.push({ line, reason });
    };
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      info: true,
      columns: (header: string[]) => {
        const names = header.map(normalizeHeader).map((n) => (['phone_number', 'mobile', 'number'].includes(n) ? 'phone' : n));
        if (!names.includes('phone')) throw new DomainError('unprocessable', 'no_phone_column', `The file has no phone column (header: ${header.join(', ')})`);
        return names;
      },
    });
    parser.on('skip', (error: CsvError & { lines?: number }) => reject(error.lines ?? 0, `malformed CSV: ${error.message}`));
    let failure: Error | null = null;
    pipeline(body, parser, (error) => {
      failure = error ?? null;
    });
    let batch: { phone: string; reason: string }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const distinct = new Set(batch.map((b) => b.phone)).size;
      const { added } = await this.suppression.addMany(workspaceId, batch, actor, 'import');
      result.added += added;
      result.alreadySuppressed += distinct - added;
      batch = [];
    };
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        result.rowsRead += 1;
        const raw = (record.phone ?? '').trim();
        const phone = raw ? normalizePhone(raw, country) : null;
        if (!phone) {
          reject(info.lines, raw ? `phone "${raw}" is not a valid number` : 'phone is empty');
          continue;
        }
        batch.push({ phone, reason: (record.reason ?? '').trim() || defaultReason });
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw failure ?? error;
    }
    if (failure) throw failure;
    return result;
  }
}
