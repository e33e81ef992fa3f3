import { Client } from 'pg';

/** Multi-row INSERT of `rows` rows in batches of 500 into a scratch table. Rows/s. */
export async function batchedInsertRowsPerSecond(databaseUrl: string, rows: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE bench_insert (id bigint PRIMARY KEY, workspace_id uuid NOT NULL, phone text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())');
    const workspace = '00000000-0000-4000-8000-000000000000';
    const started = performance.now();
    for (let i = 0; i < rows; i += 500) {
      const n = Math.min(500, rows - i);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (let k = 0; k < n; k++) {
        values.push(i + k, workspace, `+1415${String(1_000_000 + i + k).slice(-7)}`);
        tuples.push(`($${k * 3 + 1}, $${k * 3 + 2}, $${k * 3 + 3})`);
      }
      await client.query(`INSERT INTO bench_insert (id, workspace_id, phone) VALUES ${tuples.join(',')}`, values);
    }
    return rows / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}
