import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import { pipeline, Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { cursorBatches } from '../streaming/sql-cursor';

export const CONTACT_EXPORT_COLUMNS = [
  'id',
  'phone',
  'email',
  'first_name',
  'last_name',
  'time_zone',
  'attributes',
  'external_ids',
  'created_at',
  'updated_at',
] as const;

interface ExportRow {
  id: string;
  phone: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  time_zone: string | null;
  attributes: Record<string, unknown>;
  external_ids: Record<string, string>;
  created_at: Date;
  updated_at: Date;
}

/** Streams a workspace's live contacts as CSV (erased contacts have nothing left to export). */
@Injectable()
export class ContactExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  csv(workspaceId: string): Readable {
    const batches = cursorBatches<ExportRow>(
      this.dataSource,
      `SELECT id, phone, email, first_name, last_name, time_zone, attributes, external_ids, created_at, updated_at
       FROM contact WHERE workspace_id = $1 AND erased_at IS NULL ORDER BY id`,
      [workspaceId],
    );
    async function* records() {
      for await (const batch of batches) {
        for (const row of batch) {
          yield [
            row.id,
            row.phone,
            row.email ?? '',
            row.first_name ?? '',
            row.last_name ?? '',
            row.time_zone ?? '',
            JSON.stringify(row.attributes ?? {}),
            JSON.stringify(row.external_ids ?? {}),
            row.created_at.toISOString(),
            row.updated_at.toISOString(),
          ];
        }
      }
    }
    // pipeline, not pipe: when the download stops early every stage is destroyed, which ends the
    // generator and releases the cursor's connection.
    return pipeline(Readable.from(records()), stringify({ header: true, columns: [...CONTACT_EXPORT_COLUMNS] }), () => undefined);
  }
}
