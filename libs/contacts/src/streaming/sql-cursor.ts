import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Reads a query's result in batches through a server-side cursor on one dedicated connection,
 * so exports of millions of rows hold one batch in memory at a time. The snapshot is repeatable
 * (the export is consistent); the connection is released however the consumer stops, including
 * a client hanging up mid-download (the generator's `finally`).
 */
export async function* cursorBatches<T>(dataSource: DataSource, sql: string, params: unknown[], batchSize = 2000): AsyncGenerator<T[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const name = `optline_cursor_${randomBytes(6).toString('hex')}`;
  let open = false;
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const rows: T[] = await runner.query(`FETCH ${batchSize} FROM ${name}`);
      if (rows.length === 0) break;
      yield rows;
    }
    await runner.query('COMMIT');
    open = false;
  } finally {
    if (open) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}
