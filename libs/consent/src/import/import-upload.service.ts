import { Injectable } from '@nestjs/common';
import { Clock, DomainError, JobQueue } from '@optline/core';
import type { Readable } from 'node:stream';
import { DisclosureService } from '../disclosures/disclosure.service';
import { ContactImport, ImportOptions } from './contact-import.entity';
import { ImportRepository } from './import.repository';

/** Pieces of the file as stored: big enough for few round trips, small enough to hold one at a time. */
const CHUNK_BYTES = 1024 * 1024;
/** Refused beyond this (a million rows of a typical export is 60–120 MB). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/**
 * Receives an import's CSV as a stream into Postgres (in chunks, never the whole file in memory)
 * and queues the 'contacts.import' job that reads it.
 */
@Injectable()
export class ImportUploadService {
  constructor(
    private readonly imports: ImportRepository,
    private readonly disclosures: DisclosureService,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async upload(workspaceId: string, actor: string, body: Readable, fileName: string | null, options: ImportOptions): Promise<ContactImport> {
    if (options.disclosureId) await this.disclosures.get(workspaceId, options.disclosureId);
    const created = await this.imports.create(workspaceId, actor, fileName, options);
    let seq = 0;
    let bytes = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await this.imports.addChunk(created.id, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const piece of body) {
        const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string);
        bytes += buffer.length;
        if (bytes > MAX_IMPORT_BYTES) throw new DomainError('payload_too_large', 'import_too_large', `An import file may hold at most ${MAX_IMPORT_BYTES} bytes`);
        pending.push(buffer);
        pendingBytes += buffer.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
    } catch (error) {
      await this.imports.update(workspaceId, created.id, { status: 'failed', error: 'upload interrupted', finishedAt: this.clock.now() });
      await this.imports.dropChunks(created.id);
      throw error;
    }
    if (bytes === 0) {
      await this.imports.update(workspaceId, created.id, { status: 'failed', error: 'the file is empty', finishedAt: this.clock.now() });
      throw new DomainError('unprocessable', 'empty_import', 'The request body is empty: send the CSV file as the body (Content-Type: text/csv)');
    }
    await this.imports.update(workspaceId, created.id, { status: 'queued', bytesReceived: String(bytes) });
    await this.jobs.enqueue('contacts.import', { workspaceId, importId: created.id });
    return (await this.imports.find(workspaceId, created.id))!;
  }
}
