/**
 * Segment preview speed: POST /v1/segments/preview over N contacts (default 1,000,000) on a real
 * hub process. The contacts, their marketing consent (10 % opted out) and a 5 % suppression list
 * are written with SQL (generate_series; the import path is measured by the fanout scenario), then
 * each rule is counted three times through the API; the best and worst times are printed.
 *
 *   node -r @swc-node/register bench/segment-preview.ts [--contacts 1000000]
 */
import { ensureBuilt, HubClient, ScratchDatabase, startHub } from './lib/hub';

const PORT = 3941;

async function main(): Promise<void> {
  const at = process.argv.indexOf('--contacts');
  const n = at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    ensureBuilt(log);
  } catch (error) {
    // A type error elsewhere fails `npm run build` but tsc still wrote dist/; measure with it.
    log(`build reported errors (${String(error).split('\n')[0]}); using the emitted dist/`);
  }
  const db = await ScratchDatabase.create('segments');
  const hub = await startHub(db, PORT);
  const sql = await db.client();
  try {
    const client = new HubClient(PORT);
    const ws = await client.createWorkspace({ defaultCountry: 'US', timeZone: 'America/Chicago' });
    const started = performance.now();
    await sql.query(
      `INSERT INTO contact (id, workspace_id, phone, phone_hash, first_name, time_zone, attributes, created_at, updated_at)
       SELECT gen_random_uuid(), $1, '+1312' || lpad(i::text, 7, '0'), md5('p' || i), 'c' || i,
              CASE WHEN i % 3 = 0 THEN 'America/Chicago' ELSE 'America/New_York' END,
              jsonb_build_object('ordersCount', i % 7, 'lastOrderAt', to_char(timestamptz '2026-01-01' + (i % 300) * interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                 'totalSpent', (i % 500) * 3.5, 'tier', CASE WHEN i % 10 = 0 THEN 'gold' ELSE 'silver' END),
              now() - (i % 1000) * interval '1 day', now()
         FROM generate_series(1, $2) i`,
      [ws.id, n],
    );
    await sql.query(
      `INSERT INTO consent_event (workspace_id, seq, kind, contact_id, phone_hash, message_type, state, source, occurred_at, recorded_at, prev_hash, hash)
       SELECT workspace_id, 1000000 + row_number() OVER (), 'consent', id, phone_hash, 'marketing',
              CASE WHEN substr(first_name, 2)::int % 20 < 2 THEN 'opted_out' ELSE 'opted_in' END,
              CASE WHEN substr(first_name, 2)::int % 4 = 0 THEN 'web_form' ELSE 'import' END, now(), now(), '', ''
         FROM contact WHERE workspace_id = $1`,
      [ws.id],
    );
    await sql.query(
      `INSERT INTO consent_state (contact_id, message_type, workspace_id, state, last_event_id, changed_at)
       SELECT contact_id, 'marketing', workspace_id, state, id, now() FROM consent_event WHERE workspace_id = $1 AND kind = 'consent' AND contact_id IS NOT NULL`,
      [ws.id],
    );
    await sql.query(
      `INSERT INTO suppression (workspace_id, phone_hash, phone, reason, actor)
       SELECT workspace_id, phone_hash, phone, 'bench', 'bench' FROM contact WHERE workspace_id = $1 AND substr(first_name, 2)::int % 20 = 2`,
      [ws.id],
    );
    await sql.query('ANALYZE');
    log(`${n} contacts with consent and suppression written in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    const rules: [string, unknown][] = [
      ['everyone in a zone', { '==': [{ var: 'contact.timeZone' }, 'America/Chicago'] }],
      ['opted in to marketing and not suppressed', { and: [{ '==': [{ var: 'consent.marketing' }, 'opted_in'] }, { '==': [{ var: 'suppressed' }, false] }] }],
      ['repeat buyers, ordered in the last 90 days', { and: [{ '>=': [{ var: 'contact.ordersCount' }, 3] }, { '>': [{ var: 'contact.lastOrderAt' }, { daysAgo: 90 }] }] }],
      ['gold or big spenders, signed up on a form', { and: [{ or: [{ '==': [{ var: 'contact.tier' }, 'gold'] }, { '>': [{ var: 'contact.totalSpent' }, 1500] }] }, { '==': [{ var: 'consentSource.marketing' }, 'web_form'] }] }],
    ];
    for (const [name, conditions] of rules) {
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        count = (await client.api<{ count: number }>('POST', '/v1/segments/preview', ws.token, { conditions })).count;
        times.push(performance.now() - t);
      }
      log(`${name.padEnd(48)} ${String(count).padStart(9)}   best ${Math.min(...times).toFixed(0)} ms, worst ${Math.max(...times).toFixed(0)} ms`);
    }
  } finally {
    await sql.end();
    await hub.stop();
    await db.drop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
