import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server tests use; the same trust-auth Postgres the README's hub uses. */
export const TEST_PG_BASE_URL = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function runId(): string {
  const id = process.env.OPTLINE_TEST_RUN;
  if (!id) throw new Error('OPTLINE_TEST_RUN is not set: run the tests through jest (its global setup sets it)');
  return id;
}

export const templateDatabaseName = (run: string) => `optline_tpl_${run}`;

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${TEST_PG_BASE_URL}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file, cloned from the migrated template (a file copy in
 * Postgres, far faster than migrating again).
 */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const run = runId();
  const name = `optline_t_${run}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabaseName(run)}"`));
  return { name, url: `${TEST_PG_BASE_URL}/${name}` };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
