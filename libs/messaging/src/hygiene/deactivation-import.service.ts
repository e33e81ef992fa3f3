import { Injectable } from '@nestjs/common';
import { SuppressionService } from '@optline/consent';
import { ContactService, normalizePhone } from '@optline/contacts';
import { Clock, DomainError, WorkspaceService } from '@optline/core';
import { CsvError, parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { DeactivationOutcome } from './hygiene.entities';
import { HygieneRepository } from './hygiene.repository';
import { HYGIENE_ACTOR } from './number-hygiene.service';

const BATCH = 1000;
const LISTED_REJECTIONS = 200;
const DAY_MS = 86_400_000;

const PHONE_COLUMNS = ['phone', 'phone_number', 'number', 'mdn', 'tn', 'telephone_number', 'msisdn'];
const DATE_COLUMNS = ['deactivation_date', 'deactivated_on', 'deactivated_at', 'disconnect_date', 'date'];

export interface DeactivationImportResult {
  rowsRead: number;
  /** Numbers put on the suppression list (reason `deactivated`). */
  suppressed: number;
  alreadySuppressed: number;
  /** Numbers whose person opted in again after the deactivation: left alone. */
  reconsented: number;
  rejected: number;
  rejections: { line: number; reason: string }[];
}

/** A carrier's date as YYYY-MM-DD: ISO (2026-11-20, or a full timestamp), YYYYMMDD, or US MM/DD/YYYY. */
export function parseDeactivationDate(raw: string): string | null {
  const value = raw.trim();
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value))) [y, m, d] = [+match[1], +match[2], +match[3]];
  else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(value))) [y, m, d] = [+match[1], +match[2], +match[3]];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value))) [y, m, d] = [+match[3], +match[1], +match[2]];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A carrier's deactivation list (number + deactivation date, as CSV): each number whose last
 * opt-in predates its deactivation is suppressed (reason `deactivated`) — the number may now
 * belong to someone else, who never agreed. One opted in again after that day is left alone.
 * Every line's outcome is recorded with the deactivation date and when it was imported.
 */
@Injectable()
export class DeactivationImportService {
  constructor(
    private readonly repository: HygieneRepository,
    private readonly suppression: SuppressionService,
    private readonly contacts: ContactService,
    private readonly workspaces: WorkspaceService,
    private readonly clock: Clock,
  ) {}

  async import(workspaceId: string, body: Readable, actor: string): Promise<DeactivationImportResult> {
    const country = (await this.workspaces.get(workspaceId)).defaultCountry;
    const result: DeactivationImportResult = { rowsRead: 0, suppressed: 0, alreadySuppressed: 0, reconsented: 0, rejected: 0, rejections: [] };
    const reject = (line: number, reason: string) => {
      result.rejected += 1;
      if (result.rejections.length < LISTED_REJECTIONS) result.rejections.push({ line, reason });
    };
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      info: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
        const phone = names.findIndex((n) => PHONE_COLUMNS.includes(n));
        const date = names.findIndex((n) => DATE_COLUMNS.includes(n));
        if (phone < 0) throw new DomainError('unprocessable', 'no_phone_column', `The file has no number column (one of ${PHONE_COLUMNS.join(', ')}; header: ${header.join(', ')})`, [{ field: 'body', message: 'no number column' }]);
        if (date < 0) throw new DomainError('unprocessable', 'no_date_column', `The file has no deactivation date column (one of ${DATE_COLUMNS.join(', ')}; header: ${header.join(', ')})`, [{ field: 'body', message: 'no deactivation date column' }]);
        return names.map((n, i) => (i === phone ? 'phone' : i === date ? 'deactivated_on' : n));
      },
    });
    parser.on('skip', (error: CsvError & { lines?: number }) => reject(error.lines ?? 0, `malformed CSV: ${error.message}`));
    let failure: Error | null = null;
    pipeline(body, parser, (error) => {
      failure = error ?? null;
    });
    let batch: { phone: string; deactivatedOn: string }[] = [];
    const flush = async () => {
      if (batch.length > 0) await this.apply(workspaceId, batch, actor, result);
      batch = [];
    };
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        result.rowsRead += 1;
        const raw = (record.phone ?? '').trim();
        const phone = raw ? normalizePhone(raw, country) : null;
        if (!phone) {
          reject(info.lines, raw ? `number "${raw}" is not a valid number` : 'number is empty');
          continue;
        }
        const deactivatedOn = parseDeactivationDate(record.deactivated_on ?? '');
        if (!deactivatedOn) {
          reject(info.lines, `deactivation date "${record.deactivated_on ?? ''}" is not a date (YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY)`);
          continue;
        }
        batch.push({ phone, deactivatedOn });
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

  private async apply(workspaceId: string, rows: { phone: string; deactivatedOn: string }[], actor: string, result: DeactivationImportResult): Promise<void> {
    const hashed = rows.map((r) => ({ ...r, phoneHash: this.contacts.phoneHash(r.phone) }));
    const lastOptIn = await this.repository.lastOptInAt(workspaceId, [...new Set(hashed.map((r) => r.phoneHash))]);
    // A consent given after the deactivation day is the new owner's; one given on that day or before may be the old owner's.
    const reconsented = (r: (typeof hashed)[number]) => {
      const at = lastOptIn.get(r.phoneHash);
      return at !== undefined && at.getTime() >= Date.parse(`${r.deactivatedOn}T00:00:00Z`) + DAY_MS;
    };
    const toSuppress = hashed.filter((r) => !reconsented(r));
    const already = await this.suppression.suppressedAmong(workspaceId, toSuppress.map((r) => r.phone));
    const fresh = toSuppress.filter((r) => !already.has(r.phone));
    if (fresh.length > 0) await this.suppression.addMany(workspaceId, fresh.map((r) => ({ phone: r.phone, reason: 'deactivated' })), HYGIENE_ACTOR, 'import');
    const outcomes = hashed.map((r) => ({
      phoneHash: r.phoneHash,
      deactivatedOn: r.deactivatedOn,
      outcome: (reconsented(r) ? 'reconsented' : already.has(r.phone) ? 'already_suppressed' : 'suppressed') as DeactivationOutcome,
    }));
    await this.repository.recordDeactivations(workspaceId, outcomes, this.clock.now(), actor);
    const distinct = new Map(outcomes.map((o) => [o.phoneHash, o.outcome]));
    for (const outcome of distinct.values()) {
      if (outcome === 'suppressed') result.suppressed += 1;
      else if (outcome === 'already_suppressed') result.alreadySuppressed += 1;
      else result.reconsented += 1;
    }
  }
}
