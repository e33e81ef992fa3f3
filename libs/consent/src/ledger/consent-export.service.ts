import { Injectable } from '@nestjs/common';
import { cursorBatches } from '@optline/contacts';
import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import { ConsentLedgerRepository, EventRow } from './consent-ledger.repository';

export type ConsentExportFormat = 'csv' | 'json';

/** Columns of the export: seed 003's "data to store" first, then how, who and the chain. */
export const CONSENT_EXPORT_COLUMNS = [
  'phone',
  'consent_status',
  'source',
  'timestamp',
  'disclosure_version',
  'message_type',
  'opt_out_timestamp',
  'campaign_id',
  'flow_id',
  'entry_kind',
  'contact_id',
  'phone_hash',
  'recorded_at',
  'evidence',
  'actor',
  'disclosure_id',
  'seq',
  'entry_id',
  'hash',
] as const;

type ExportRecord = Record<(typeof CONSENT_EXPORT_COLUMNS)[number], string | number | null | Record<string, unknown>>;

function toRecord(row: EventRow): ExportRecord {
  const occurred = row.occurred_at.toISOString();
  return {
    phone: row.phone,
    // Suppression-list entries have no consent status; their kind says what happened.
    consent_status: row.state ?? (row.kind === 'suppression_added' ? 'suppressed' : 'unsuppressed'),
    source: row.source,
    timestamp: occurred,
    disclosure_version: row.disclosure_version ?? null,
    message_type: row.message_type,
    opt_out_timestamp: row.state === 'opted_out' || row.kind === 'suppression_added' ? occurred : null,
    campaign_id: row.campaign_id,
    flow_id: row.flow_id,
    entry_kind: row.kind,
    contact_id: row.contact_id,
    phone_hash: row.phone_hash,
    recorded_at: row.recorded_at.toISOString(),
    evidence: row.evidence ?? {},
    actor: row.actor,
    disclosure_id: row.disclosure_id,
    seq: Number(row.seq),
    entry_id: row.id,
    hash: row.hash,
  };
}

/**
 * Streams every ledger entry of a period (by time of the act) through a server-side cursor:
 * one batch in memory at a time, whatever the size of the ledger.
 */
@Injectable()
export class ConsentExportService {
  constructor(private readonly ledger: ConsentLedgerRepository) {}

  stream(workspaceId: string, format: ConsentExportFormat, from?: Date, to?: Date): Readable {
    const batches = cursorBatches<EventRow>(this.ledger.dataSource, this.ledger.exportSql(), [workspaceId, from ?? null, to ?? null], 2000);
    if (format === 'csv') {
      async function* rows() {
        for await (const batch of batches) {
          for (const row of batch) {
            const record = toRecord(row);
            yield CONSENT_EXPORT_COLUMNS.map((c) => (c === 'evidence' ? JSON.stringify(record.evidence) : (record[c] ?? '')));
          }
        }
      }
      return pipeline(Readable.from(rows()), stringify({ header: true, columns: [...CONSENT_EXPORT_COLUMNS] }), () => undefined);
    }
    async function* json() {
      let first = true;
      yield '[';
      for await (const batch of batches) {
        // One string per batch keeps the number of stream writes (and their overhead) low.
        let chunk = '';
        for (const row of batch) {
          chunk += `${first ? '\n' : ',\n'}${JSON.stringify(toRecord(row))}`;
          first = false;
        }
        yield chunk;
      }
      yield '\n]\n';
    }
    return Readable.from(json());
  }
}
