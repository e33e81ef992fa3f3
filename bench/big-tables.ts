/**
 * Big tables (issue 25): a scratch database migrated by the hub, then seeded in SQL
 * (generate_series, foreign-key triggers off while seeding) with N contacts and M outbound
 * messages — nearly all final (sent/delivered/blocked), a few waiting (queued, deferred, stuck in
 * sending) — and events, nearly all processed. Prints EXPLAIN (ANALYZE, BUFFERS) of the reconcilers'
 * scans with the partial indexes (decision 0261) and, in the same database, with the full index
 * they replaced (inside a rolled-back transaction); then runs the check probe over the seeded
 * contacts: the gateway check with the tables this large.
 *
 *   node -r @swc-node/register bench/big-tables.ts [--contacts 1000000] [--messages 10000000] [--checks 2000]
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, HubClient, hubEnv, ScratchDatabase, startHub } from './lib/hub';

const PORT = 3936;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const DUE_OUTBOUND = `(SELECT id, workspace_id, created_at FROM message
   WHERE status IN ('queued', 'deferred') AND direction = 'outbound'
     AND (deferred_until IS NULL OR deferred_until <= $1) AND created_at < $2
   ORDER BY created_at LIMIT $4)
 UNION ALL
 (SELECT id, workspace_id, created_at FROM message
   WHERE status = 'sending' AND handed_off_at < $3 AND reason IS NULL
   ORDER BY created_at LIMIT $4)`;
const DUE_EVENTS = `SELECT id, workspace_id FROM trigger_event WHERE status = 'received' AND received_at < $1 ORDER BY received_at ASC LIMIT 500`;
const CONTACT_HISTORY = `SELECT count(*) FILTER (WHERE m.status = ANY('{sending,sent,delivered,undelivered}') AND m.handed_off_at > now() - interval '24 hours') AS capped,
   bool_or(m.direction = 'outbound') AS contacted FROM message m WHERE m.workspace_id = $1 AND m.contact_id = $2`;

const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<void> {
  const contacts = arg('contacts', 1_000_000);
  const messages = arg('messages', 10_000_000);
  const checks = arg('checks', 2_000);
  ensureBuilt(log);
  log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const db = await ScratchDatabase.create('big');
  try {
    const hub = await startHub(db, PORT);
    const ws = await new HubClient(PORT).createWorkspace({ defaultCountry: 'US', timeZone: 'America/New_York' });
    await hub.stop();
    const sql = await db.client();
    try {
      const t0 = performance.now();
      await sql.query(`SET session_replication_role = replica`); // no FK triggers while seeding
      await sql.query(
        `INSERT INTO contact (workspace_id, phone, phone_hash, first_name, time_zone)
         SELECT $1, '+1' || (2002000000 + g)::text, md5('bench' || g), 'in', 'America/New_York' FROM generate_series(1, $2) g`,
        [ws.id, contacts],
      );
      log(`seeded ${contacts} contacts in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      const t1 = performance.now();
      // Contacts are numbered by creation; message g goes to contact (g mod N), one a minute back in time.
      await sql.query(`CREATE TEMP TABLE ids AS SELECT row_number() OVER () - 1 AS n, id, phone FROM contact WHERE workspace_id = $1`, [ws.id]);
      await sql.query(`CREATE INDEX ON ids (n)`);
      await sql.query(
        `INSERT INTO message (workspace_id, contact_id, direction, type, phone, body, segments, encoding, status, reason, idempotency_key, created_at, updated_at, handed_off_at, sent_at)
         SELECT $1, i.id, 'outbound', CASE WHEN g % 3 = 0 THEN 'transactional' ELSE 'marketing' END, i.phone, 'Bench: 20% off everything this weekend. Reply STOP to opt out.', 1, 'GSM-7',
                s.status, CASE WHEN s.status = 'blocked' THEN 'opted_out' END, 'seed:' || g, t.at, t.at,
                CASE WHEN s.status IN ('sent', 'delivered', 'sending') THEN t.at END, CASE WHEN s.status IN ('sent', 'delivered') THEN t.at END
           FROM generate_series(1, $2) g
           JOIN ids i ON i.n = g % $3
           CROSS JOIN LATERAL (SELECT now() - (($2 - g) * interval '1 second') AS at) t
           CROSS JOIN LATERAL (SELECT CASE WHEN g > $2 - 1000 THEN 'queued' WHEN g % 100000 = 7 THEN 'sending' WHEN g % 100000 = 8 THEN 'deferred'
                                           WHEN g % 10 = 0 THEN 'blocked' WHEN g % 2 = 0 THEN 'delivered' ELSE 'sent' END AS status) s`,
        [ws.id, messages, contacts],
      );
      await sql.query(
        `INSERT INTO trigger_event (workspace_id, plugin_id, type, dedupe_key, occurred_at, status, received_at, processed_at)
         SELECT $1, 'shopify', 'checkout.updated', 'seed:' || g, now(), CASE WHEN g > $2 - 100 THEN 'received' ELSE 'processed' END,
                now() - (($2 - g) * interval '1 second'), now()
           FROM generate_series(1, $2) g`,
        [ws.id, Math.max(1000, Math.floor(messages / 10))],
      );
      await sql.query(`SET session_replication_role = origin`);
      log(`seeded ${messages} messages and ${Math.floor(messages / 10)} events in ${((performance.now() - t1) / 1000).toFixed(0)} s; VACUUM ANALYZE…`);
      await sql.query(`VACUUM ANALYZE message`);
      await sql.query(`VACUUM ANALYZE trigger_event`);
      await sql.query(`VACUUM ANALYZE contact`);

      const now = new Date();
      const plan = async (label: string, text: string, values: unknown[]) => {
        const rows = await sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${text}`, values);
        process.stdout.write(`\n--- ${label}\n${rows.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
      };
      const dueArgs = [now, new Date(now.getTime() - 60_000), new Date(now.getTime() - 300_000), 5000];
      const sizes = await sql.query(`SELECT indexrelname AS index, pg_size_pretty(pg_relation_size(indexrelid)) AS size FROM pg_stat_user_indexes WHERE relname IN ('message', 'trigger_event') ORDER BY pg_relation_size(indexrelid) DESC`);
      process.stdout.write(`\nindex sizes (after):\n${sizes.rows.map((r) => `  ${r.index} ${r.size}`).join('\n')}\n`);
      await plan('dueOutbound, partial indexes (after)', DUE_OUTBOUND, dueArgs);
      await plan('due events, partial index (after)', DUE_EVENTS, [now]);
      const someone = (await sql.query<{ id: string }>(`SELECT id FROM ids WHERE n = 12345 % $1`, [contacts])).rows[0].id;
      await plan('a contact’s history (the check, the send path)', CONTACT_HISTORY, [ws.id, someone]);

      await sql.query('BEGIN');
      await sql.query(`DROP INDEX "IDX_message_waiting"; DROP INDEX "IDX_message_sending"; DROP INDEX "IDX_trigger_event_waiting"`);
      await sql.query(`CREATE INDEX "IDX_message_status_deferred_until" ON "message" ("status", "deferred_until")`);
      await sql.query(`ANALYZE message`);
      const before = await sql.query(`SELECT pg_size_pretty(pg_relation_size('"IDX_message_status_deferred_until"')) AS size`);
      process.stdout.write(`\nIDX_message_status_deferred_until (before) ${before.rows[0].size}\n`);
      await plan('dueOutbound, full (status, deferred_until) index (before)', DUE_OUTBOUND, dueArgs);
      await plan('due events, no status index (before)', DUE_EVENTS, [now]);
      await sql.query('ROLLBACK');

      const sample = await sql.query<{ id: string; cls: string }>(`SELECT id, 'nobody' AS cls FROM contact WHERE workspace_id = $1 ORDER BY random() LIMIT 5000`, [ws.id]);
      const input = join(tmpdir(), `optline-bench-big-${process.pid}.json`);
      writeFileSync(input, JSON.stringify({ workspaceId: ws.id, iterations: checks, warmup: 300, contacts: sample.rows }));
      log(`check: ${checks} SendGateway.check calls over ${contacts} contacts / ${messages} messages (load average ${loadavg()[0].toFixed(1)})`);
      const { stdout } = await promisify(execFile)(process.execPath, [resolve(__dirname, 'lib/check-probe.js')], {
        env: { ...process.env, ...hubEnv(db, 0, { HUB_ROLE: 'api' }), BENCH_CHECK_INPUT: input },
        maxBuffer: 1 << 20,
      });
      const probe = JSON.parse(stdout.trim().split('\n').at(-1)!) as { latenciesMs: { p50: number; p99: number }; perSecond: number; cpuMsPerCheck: number };
      process.stdout.write(`\ncheck: p50 ${probe.latenciesMs.p50.toFixed(3)} ms, p99 ${probe.latenciesMs.p99.toFixed(3)} ms, ${probe.perSecond.toFixed(0)}/s, CPU ${probe.cpuMsPerCheck.toFixed(3)} ms per check; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    } finally {
      await sql.end();
    }
  } finally {
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
