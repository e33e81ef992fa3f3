import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainEventBus, WorkspaceService } from '@optline/core';
import { ContactService, mergeByPhone } from '@optline/contacts';
import { CsvError, parse } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { ConsentActor, ConsentChange, ConsentMessageType } from '../consent.types';
import { ConsentLedgerService } from '../ledger/consent-ledger.service';
import { ConsentQueryService } from '../ledger/consent-query.service';
import { ContactImport } from './contact-import.entity';
import { ImportRowContext, normalizeHeader, parseImportRow, ParsedImportRow } from './import-row';
import { BatchProgress, ImportRepository, RejectionDraft } from './import.repository';

/** Rows per transaction: one contact upsert, one ledger append, one progress update each. */
export const IMPORT_BATCH_SIZE = 2000;

/** The ledger actor of an import's rows, from the job's `api_key:<id>` or `user:<id>`. */
function importActor(actor: string): ConsentActor | null {
  if (actor.startsWith('api_key:')) return { apiKeyId: actor.slice('api_key:'.length) };
  if (actor.startsWith('user:')) return { userId: actor.slice('user:'.length) };
  return null;
}

/** A problem with the file itself: the import fails at once instead of being retried. */
class ImportFileError extends Error {}

interface PendingRow {
  line: number;
  record: Record<string, string>;
}

type ValidRow = PendingRow & { parsed: ParsedImportRow };

interface PreparedBatch {
  valid: ValidRow[];
  rejections: RejectionDraft[];
  progress: BatchProgress;
}

/**
 * Reads an uploaded CSV from its stored chunks and applies it in batches. Each batch commits
 * its contacts, consent entries, rejected rows and progress together, and moves a checkpoint,
 * so a retried job resumes after the last committed line. An import never turns an opt-out into
 * an opt-in: such rows keep their contact changes and are reported as consent_skipped.
 */
@Injectable()
export class ImportRunnerService {
  private readonly logger = new Logger(ImportRunnerService.name);

  constructor(
    private readonly imports: ImportRepository,
    private readonly contacts: ContactService,
    private readonly ledger: ConsentLedgerService,
    private readonly consent: ConsentQueryService,
    private readonly workspaces: WorkspaceService,
    private readonly clock: Clock,
    private readonly bus: DomainEventBus,
  ) {}

  async run(workspaceId: string, importId: string): Promise<void> {
    const job = await this.imports.find(workspaceId, importId);
    if (!job || job.status === 'completed' || job.status === 'failed' || job.status === 'uploading') return;
    const workspace = await this.workspaces.get(workspaceId);
    await this.imports.update(workspaceId, importId, { status: 'running', startedAt: job.startedAt ?? this.clock.now() });
    try {
      await this.readFile(job, { defaultCountry: workspace.defaultCountry, defaultConsentTypes: job.options.consentTypes, now: this.clock.now() });
    } catch (error) {
      if (!(error instanceof ImportFileError || error instanceof CsvError)) throw error; // transient: Bull retries from the checkpoint
      await this.imports.update(workspaceId, importId, { status: 'failed', error: error.message, finishedAt: this.clock.now() });
      await this.imports.dropChunks(importId);
      await this.bus.publish('import.ended', { workspaceId, importId, status: 'failed', error: error.message });
      return;
    }
    await this.imports.update(workspaceId, importId, { status: 'completed', finishedAt: this.clock.now() });
    await this.imports.dropChunks(importId);
    this.logger.log({ workspaceId, importId }, 'import completed');
    await this.bus.publish('import.ended', { workspaceId, importId, status: 'completed', error: null });
  }

  /** The job gave up (retries exhausted): say so on the import, keep what was committed. */
  async markFailed(workspaceId: string, importId: string, reason: string): Promise<void> {
    const error = `gave up after retries: ${reason}`.slice(0, 500);
    await this.imports.update(workspaceId, importId, { status: 'failed', error, finishedAt: this.clock.now() });
    await this.bus.publish('import.ended', { workspaceId, importId, status: 'failed', error });
  }

  private async readFile(job: ContactImport, context: ImportRowContext): Promise<void> {
    let header: string[] | null = null;
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      info: true,
      max_record_size: 64 * 1024,
      columns: (raw: string[]) => {
        header = raw;
        const names = raw.map(normalizeHeader);
        if (!names.some((n) => ['phone', 'phone_number', 'mobile', 'mobile_phone', 'sms'].includes(n))) {
          throw new ImportFileError(`the file has no phone column (its header is: ${raw.join(', ')})`);
        }
        return names;
      },
    });
    const malformed: RejectionDraft[] = [];
    parser.on('skip', (error: CsvError & { lines?: number }) => {
      malformed.push({ line: error.lines ?? 0, outcome: 'rejected', reason: `malformed CSV: ${error.message}`, row: {} });
    });
    let failure: Error | null = null;
    pipeline(Readable.from(this.chunks(job.id)), parser, (error) => {
      failure = error ?? null;
    });

    let batch: PendingRow[] = [];
    let headerSaved = false;
    // One batch is written while the next is read and parsed (CPU and database overlap); writes
    // stay strictly in file order, so the checkpoint and "never resubscribe" reads stay exact.
    let writing: Promise<void> = Promise.resolve();
    const dispatch = async (rows: PendingRow[]) => {
      const prepared = this.prepareBatch(rows, malformed.splice(0).filter((m) => m.line > job.checkpointLine), context);
      await writing;
      writing = this.writeBatch(job, prepared);
      // Surface a failed write at once rather than after the whole file was read.
      writing.catch(() => undefined);
    };
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        if (!headerSaved && header) {
          await this.imports.setHeader(job.workspaceId, job.id, header);
          headerSaved = true;
        }
        if (info.lines <= job.checkpointLine) continue;
        batch.push({ line: info.lines, record });
        if (batch.length >= IMPORT_BATCH_SIZE) {
          await dispatch(batch);
          batch = [];
        }
      }
      if (failure) throw failure;
      if (batch.length > 0 || malformed.length > 0) await dispatch(batch);
    } finally {
      await writing.catch(() => undefined);
    }
    await writing;
  }

  private async *chunks(importId: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const data = await this.imports.chunk(importId, seq);
      if (!data) return;
      yield data;
    }
  }

  /** The CPU part of a batch: parse and validate every row. */
  private prepareBatch(rows: PendingRow[], malformed: RejectionDraft[], context: ImportRowContext): PreparedBatch {
    const rejections: RejectionDraft[] = [...malformed];
    const valid: ValidRow[] = [];
    for (const row of rows) {
      const result = parseImportRow(row.record, context);
      if (result.ok) valid.push({ ...row, parsed: result.row });
      else rejections.push({ line: row.line, outcome: 'rejected', reason: result.reason, row: row.record });
    }
    const progress: BatchProgress = {
      rowsRead: rows.length + malformed.length,
      created: 0,
      updated: 0,
      rejected: rejections.length,
      consentSkipped: 0,
      checkpointLine: Math.max(0, ...rows.map((r) => r.line), ...malformed.map((m) => m.line)),
    };
    return { valid, rejections, progress };
  }

  /** The database part of a batch, in one transaction: contacts, consent, report rows, progress. */
  private async writeBatch(job: ContactImport, { valid, rejections, progress }: PreparedBatch): Promise<void> {
    const entries = await this.imports.dataSource.transaction(async (manager) => {
      const withConsent = valid.some((v) => v.parsed.consent);
      // The chain lock before reading states: no STOP can land between our read and our write.
      if (withConsent) await this.ledger.lockChainFor(job.workspaceId, manager, 'all');
      const upserted = await this.contacts.upsertNormalized(
        job.workspaceId,
        mergeByPhone(valid.map((v) => ({ ...v.parsed.contact, phoneHash: '' }))),
        manager,
      );
      const byPhone = new Map(upserted.map((u) => [u.phone, u]));
      const seen = new Set<string>();
      for (const row of valid) {
        const { created } = byPhone.get(row.parsed.contact.phone)!;
        if (created && !seen.has(row.parsed.contact.phone)) progress.created += 1;
        else progress.updated += 1;
        seen.add(row.parsed.contact.phone);
      }
      const changes = withConsent ? await this.consentChanges(job, valid, byPhone, rejections, progress, manager) : [];
      const appended = changes.length > 0 ? await this.ledger.recordMany(job.workspaceId, changes, manager) : [];
      await this.imports.recordBatch(job.workspaceId, job.id, rejections, progress, manager);
      return appended;
    });
    // Imported consent is announced only when asked: a list upload should not, by default, start
    // a welcome flow or a write-back for every row (decision 0025).
    if (job.options.announce) await this.ledger.publish(entries);
  }

  /** Consent changes of the batch, leaving out every opt-in over an opt-out (reported as consent_skipped). */
  private async consentChanges(
    job: ContactImport,
    valid: ValidRow[],
    byPhone: Map<string, { id: string }>,
    rejections: RejectionDraft[],
    progress: BatchProgress,
    manager: EntityManager,
  ): Promise<ConsentChange[]> {
    const contactIds = [...new Set(valid.filter((v) => v.parsed.consent).map((v) => byPhone.get(v.parsed.contact.phone)!.id))];
    const current = await this.consent.statesFor(job.workspaceId, contactIds, manager);
    const changes: ConsentChange[] = [];
    for (const row of valid) {
      const consent = row.parsed.consent;
      if (!consent) continue;
      const contactId = byPhone.get(row.parsed.contact.phone)!.id;
      const states = current.get(contactId)!;
      const resubscribes = consent.state === 'opted_in' || consent.state === 'pending';
      const blocked = resubscribes ? consent.types.filter((t) => states[t] === 'opted_out') : [];
      const applied = consent.types.filter((t) => !blocked.includes(t));
      if (blocked.length > 0) {
        progress.consentSkipped += 1;
        rejections.push({
          line: row.line,
          outcome: 'consent_skipped',
          reason: `contact imported, but ${consent.state} was not applied to ${blocked.join(', ')}: the number opted out, and an import never resubscribes it`,
          row: row.record,
        });
      }
      if (applied.length === 0) continue;
      for (const type of applied) states[type as ConsentMessageType] = consent.state; // later rows of the batch see this row's change
      changes.push({
        contactId,
        types: applied,
        state: consent.state,
        source: consent.source,
        evidence: {
          importId: job.id,
          line: row.line,
          ...(job.fileName && { fileName: job.fileName }),
          ...(job.options.evidenceNote && { note: job.options.evidenceNote }),
          ...(consent.evidence && { evidence: consent.evidence }),
        },
        disclosureId: job.options.disclosureId ?? null,
        occurredAt: consent.occurredAt ?? undefined,
        actor: importActor(job.actor),
      });
    }
    return changes;
  }
}
