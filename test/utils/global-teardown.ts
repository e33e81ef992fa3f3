import { withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const run = process.env.OPTLINE_TEST_RUN;
  if (!run) return;
  await withAdminClient(async (client) => {
    const rows = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`optline_%${run}%`]);
    for (const row of rows.rows as { datname: string }[]) {
      await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    }
  });
}
