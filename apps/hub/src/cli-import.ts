import { INestApplicationContext } from '@nestjs/common';
import { ContactImport, CONSENT_MESSAGE_TYPES, ConsentMessageType, ImportQueryService, ImportRunnerService, ImportUploadService } from '@optline/consent';
import { JobQueue, QUEUES, WorkspaceService } from '@optline/core';
import { SingleBar } from 'cli-progress';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './cli-support';
import { withHub } from './cli-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POLL_MS = 200;

interface ImportFlags {
  file: string;
  workspaceId: string;
  consentTypes: ConsentMessageType[];
  disclosureId: string | null;
  note: string | null;
  announce: boolean;
}

/** Flags checked before anything connects, each error naming its flag. */
export function importFlags(args: string[]): ImportFlags {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { workspace: { type: 'string' }, 'consent-types': { type: 'string' }, disclosure: { type: 'string' }, note: { type: 'string' }, announce: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? '<file.csv> is required' : `one file at a time (got ${positionals.length})`);
  const file = positionals[0];
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`<file.csv>: cannot read "${file}"`);
  }
  if (size === 0) throw new UsageError(`<file.csv>: "${file}" is empty`);
  if (!values.workspace) throw new UsageError('--workspace is required');
  if (!UUID.test(values.workspace)) throw new UsageError(`--workspace: "${values.workspace}" is not a workspace id (a UUID; see \`workspace list\`)`);
  const consentTypes = (values['consent-types'] ?? 'marketing').split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = consentTypes.filter((t) => !CONSENT_MESSAGE_TYPES.includes(t as ConsentMessageType));
  if (unknown.length > 0 || consentTypes.length === 0) throw new UsageError(`--consent-types: must be a comma-separated list of ${CONSENT_MESSAGE_TYPES.join(', ')} (got "${values['consent-types']}")`);
  if (values.disclosure !== undefined && !UUID.test(values.disclosure)) throw new UsageError(`--disclosure: "${values.disclosure}" is not a disclosure id (a UUID)`);
  if (values.note !== undefined && values.note.length > 500) throw new UsageError('--note: at most 500 characters');
  return {
    file,
    workspaceId: values.workspace,
    consentTypes: consentTypes as ConsentMessageType[],
    disclosureId: values.disclosure ?? null,
    note: values.note ?? null,
    announce: values.announce ?? false,
  };
}

/** Data rows in the file (lines after the header), for the bar's total; a quoted newline makes it an estimate. */
async function countRows(file: string): Promise<number> {
  let newlines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    last = chunk[chunk.length - 1];
  }
  const lines = newlines + (last === 10 ? 0 : 1);
  return Math.max(0, lines - 1);
}

/**
 * `import <file.csv>`: the same upload and job as POST /v1/contacts/import. A running hub's worker
 * reads it when one is connected to the imports queue; otherwise this process takes the job back
 * from the queue and reads the file itself. Either way a bar on stderr follows the import's rows.
 */
export async function importContacts(args: string[], operator: string): Promise<void> {
  const flags = importFlags(args);
  const total = await countRows(flags.file);
  await withHub(async (app) => {
    const workspace = await app.get(WorkspaceService).get(flags.workspaceId);
    const job = await app.get(ImportUploadService).upload(workspace.id, operator, createReadStream(flags.file), basename(flags.file), {
      consentTypes: flags.consentTypes,
      disclosureId: flags.disclosureId,
      evidenceNote: flags.note,
      announce: flags.announce,
    });
    const runHere = await takeBackIfNoWorker(app, job.id);
    process.stderr.write(`Import ${job.id}: ${total} rows, ${runHere ? 'read by this command (no worker is connected)' : 'read by a running hub worker'}\n`);
    const bar = new SingleBar({
      stream: process.stderr,
      format: 'Importing [{bar}] {percentage}% | {value}/{total} rows | {created} new, {updated} updated, {rejected} rejected',
      noTTYOutput: true,
      notTTYSchedule: 1000,
      hideCursor: true,
    });
    bar.start(total, 0, { created: 0, updated: 0, rejected: 0 });
    const running = runHere ? app.get(ImportRunnerService).run(workspace.id, job.id) : Promise.resolve();
    let failure: unknown = null;
    running.catch((error: unknown) => (failure = error));
    const imports = app.get(ImportQueryService);
    let current: ContactImport;
    for (;;) {
      current = await imports.get(workspace.id, job.id);
      bar.setTotal(Math.max(total, current.rowsRead));
      bar.update(current.rowsRead, { created: current.created, updated: current.updated, rejected: current.rejected });
      if (current.status === 'completed' || current.status === 'failed' || failure) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await running.catch(() => undefined);
    bar.stop();
    if (failure) throw failure;
    const summary = {
      importId: current.id,
      status: current.status,
      rowsRead: current.rowsRead,
      created: current.created,
      updated: current.updated,
      rejected: current.rejected,
      consentSkipped: current.consentSkipped,
      error: current.error,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (current.rejected > 0) process.stdout.write(`Rejected rows, with the reason for each: GET /v1/imports/${current.id}/rejected (or the console's Imports page)\n`);
    if (current.status === 'failed') {
      process.stderr.write(`The import failed: ${current.error}\n`);
      process.exitCode = 1;
    }
  });
}

/**
 * True when this process should read the file: nobody works the imports queue, and the queued job
 * was removed before anyone locked it (Bull refuses to remove a job a worker holds, so it is read
 * by exactly one of us).
 */
async function takeBackIfNoWorker(app: INestApplicationContext, importId: string): Promise<boolean> {
  const queue = app.get(JobQueue).all().find((q) => q.name === QUEUES.imports);
  if (!queue || (await queue.getWorkers()).length > 0) return false;
  const queued = await queue.getJob(`contacts.import:${importId}`);
  if (!queued) return false;
  try {
    await queued.remove();
    return true;
  } catch {
    return false;
  }
}
