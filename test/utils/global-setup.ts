import { prepareDatabase } from '../../libs/core/src/database/prepare-database';
import { TEST_PG_BASE_URL, templateDatabaseName, withAdminClient } from './test-database';

/** Migrates one template database per jest run; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  process.env.OPTLINE_TEST_RUN = run;
  const name = templateDatabaseName(run);
  await withAdminClient(async (client) => {
    // Leftovers of runs that were killed before their teardown (older than an hour).
    const stale = await client.query(
      `SELECT datname FROM pg_database WHERE datname ~ '^optline_(tpl|t)_' AND datname NOT LIKE $1`,
      [`%${run}%`],
    );
    for (const row of stale.rows as { datname: string }[]) {
      const started = Number.parseInt(row.datname.split('_')[3] ?? '', 36);
      if (Number.isFinite(started) && Date.now() - started > 3_600_000) {
        await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      }
    }
  });
  await prepareDatabase(`${TEST_PG_BASE_URL}/${name}`);
}
