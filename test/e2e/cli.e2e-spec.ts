import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from '../utils/test-database';

const ROOT = resolve(__dirname, '../..');
const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** `npm run optline -- …` as the operator runs it (under swc), in an empty directory with exactly `env`. */
function optline(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), join(ROOT, 'apps/hub/src/cli.ts'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return new Promise((done) => child.once('exit', (code) => done({ code, out, err })));
}

describe('the operator CLI', () => {
  let db: { name: string; url: string };
  let dir: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => optline(args, env, dir);

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'optline-cli-'));
    env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `optline-test:${db.name}`, OPTLINE_ENCRYPTION_KEY: KEY };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(db.name);
  });

  it('has --help for every command, naming its flags', async () => {
    const all = await run('--help');
    expect(all.code).toBe(0);
    for (const command of ['workspace create', 'workspace list', 'api-key create', 'api-key revoke', 'migrate status', 'migrate run', 'status', 'user invite', 'user reset-password', 'import', 'demo']) {
      expect(all.out).toContain(`npm run optline -- ${command}`);
    }
    const one = await run('api-key', 'revoke', '--help');
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^Revokes an API key/);
    expect(one.out).toContain('--workspace <id>');
    expect(one.out).toContain('--id <key id>');
    const unknown = await run('workspace', 'explode');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown command "workspace explode"');
  }, 60_000);

  it('creates and lists workspaces, revokes a key, and names the flag in an error', async () => {
    const created = await run('workspace', 'create', '--name', 'Acme', '--time-zone', 'America/Chicago');
    expect(created.code).toBe(0);
    const { workspaceId } = JSON.parse(created.out.slice(0, created.out.lastIndexOf('}') + 1));

    const listed = await run('workspace', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ id: workspaceId, name: 'Acme', timeZone: 'America/Chicago' })]);

    const key = await run('api-key', 'create', '--workspace', workspaceId, '--role', 'support');
    const { id } = JSON.parse(key.out.slice(0, key.out.lastIndexOf('}') + 1));
    const revoked = await run('api-key', 'revoke', '--workspace', workspaceId, '--id', id);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toMatch(new RegExp(`^Key ${id} \\(.*support\\) revoked at `));
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query('SELECT revoked_at FROM api_key WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
      expect(rows.rows[0].revoked_at).not.toBeNull();
    } finally {
      await client.end();
    }

    const badZone = await run('workspace', 'create', '--name', 'Nope', '--time-zone', 'Mars/Olympus');
    expect(badZone.code).toBe(1);
    expect(badZone.err).toMatch(/^--time-zone: /);
    expect(badZone.err).not.toContain('timeZone');
    const badRole = await run('api-key', 'create', '--workspace', workspaceId, '--role', 'boss');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toMatch(/^--role: must be one of/);
    const badId = await run('api-key', 'revoke', '--workspace', 'acme', '--id', id);
    expect(badId.err).toMatch(/^--workspace: "acme" is not a workspace id/);
  }, 120_000);

  it('shows migrations and what is running, with queue depths', async () => {
    const migrations = await run('migrate', 'status');
    expect(migrations.code).toBe(0);
    expect(migrations.out).toMatch(/^applied {2}Foundation/m);
    expect(migrations.out).toMatch(/All \d+ migrations applied\.\n$/);
    const again = await run('migrate', 'run');
    expect(again.out).toBe('Nothing to apply: the database is up to date.\n');

    const status = await run('status', '--json');
    expect(status.code).toBe(0);
    const report = JSON.parse(status.out);
    expect(report).toMatchObject({ database: 'up', redis: 'up', migrations: { pending: 0 }, workspaces: 1 });
    expect(report.queues).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 'sends', workers: 0, waiting: 0, failed: 0 })]));
    const table = await run('status');
    expect(table.out).toContain('Workers: none connected');
    expect(table.out).toMatch(/^sends +0 +0 +0 +0 +0$/m);
  }, 120_000);

  it('imports a CSV, drawing its progress on stderr, and names the flag of a bad value', async () => {
    const created = await run('workspace', 'create', '--name', 'Importer', '--country', 'US');
    const { workspaceId } = JSON.parse(created.out.slice(0, created.out.lastIndexOf('}') + 1));
    const file = join(dir, 'people.csv');
    writeFileSync(file, 'phone,first_name,consent,consent_timestamp\n(415) 555-0171,Ada,opted_in,2026-03-01T10:00:00Z\n+14155550172,Grace,,\nnot-a-phone,Bad,,\n');

    const imported = await run('import', file, '--workspace', workspaceId, '--note', 'Sign-up sheet');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.out.slice(0, imported.out.lastIndexOf('}') + 1))).toMatchObject({ status: 'completed', rowsRead: 3, created: 2, rejected: 1 });
    expect(imported.out).toContain('/rejected');
    expect(imported.err).toMatch(/^Import [0-9a-f-]{36}: 3 rows, read by this command \(no worker is connected\)\n/);
    expect(imported.err).toMatch(/Importing \[.*\] 100% \| 3\/3 rows \| 2 new, 0 updated, 1 rejected/);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const contacts = await client.query('SELECT first_name FROM contact WHERE workspace_id = $1 ORDER BY first_name', [workspaceId]);
      expect(contacts.rows.map((r) => r.first_name)).toEqual(['Ada', 'Grace']);
      const consent = await client.query("SELECT state, evidence FROM consent_event WHERE workspace_id = $1 AND kind = 'consent'", [workspaceId]);
      expect(consent.rows).toEqual([expect.objectContaining({ state: 'opted_in', evidence: expect.objectContaining({ note: 'Sign-up sheet' }) })]);
    } finally {
      await client.end();
    }

    const badTypes = await run('import', file, '--workspace', workspaceId, '--consent-types', 'promo');
    expect(badTypes.code).toBe(2);
    expect(badTypes.err).toMatch(/^--consent-types: must be a comma-separated list of marketing, transactional, conversational/);
    const noFile = await run('import', join(dir, 'missing.csv'), '--workspace', workspaceId);
    expect(noFile.err).toMatch(/^<file\.csv>: cannot read /);
    const help = await run('import', '--help');
    expect(help.out).toMatch(/^Imports contacts/);
    expect(help.out).toContain('--consent-types <list>');
  }, 120_000);

  it('fills a workspace with demo data once, and refuses a second time saying why', async () => {
    const created = await run('workspace', 'create', '--name', 'Demo Shop', '--time-zone', 'America/Chicago');
    const { workspaceId } = JSON.parse(created.out.slice(0, created.out.lastIndexOf('}') + 1));
    await run('workspace', 'create', '--name', 'Other Shop');
    const several = await run('demo');
    expect(several.code).toBe(2);
    expect(several.err).toMatch(/^--workspace is required: there are several workspaces/);

    const filled = await run('demo', '--workspace', workspaceId, '--json');
    expect(filled.err).toBe('');
    expect(filled.code).toBe(0);
    const summary = JSON.parse(filled.out);
    expect(summary).toMatchObject({ workspaceId, contacts: 10, signUps: 3, inbound: 3 });
    expect(summary.flows).toEqual([
      { name: 'Welcome series', status: 'active' },
      { name: 'Birthday', status: 'active' },
      { name: 'Win-back', status: 'active' },
    ]);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    const count = async (sql: string) => Number((await client.query(sql, [workspaceId])).rows[0].n);
    const counts = async () => {
      const n: number[] = [];
      for (const sql of [
        'SELECT count(*) AS n FROM contact WHERE workspace_id = $1',
        "SELECT count(*) AS n FROM consent_event WHERE workspace_id = $1 AND kind = 'consent'",
        "SELECT count(*) AS n FROM flow WHERE workspace_id = $1 AND status = 'active'",
        "SELECT count(*) AS n FROM trigger_event WHERE workspace_id = $1 AND type = 'form.submitted'",
        "SELECT count(*) AS n FROM message WHERE workspace_id = $1 AND direction = 'outbound' AND idempotency_key LIKE 'api:demo-%'",
        "SELECT count(*) AS n FROM message WHERE workspace_id = $1 AND direction = 'inbound'",
      ])
        n.push(await count(sql));
      return n;
    };
    try {
      const [contacts, consent, activeFlows, signUps, sent, inbound] = await counts();
      // Ten people; the three sign-ups become contacts when a hub's worker dispatches their events.
      expect(contacts).toBe(10);
      expect(consent).toBeGreaterThanOrEqual(12);
      expect(activeFlows).toBe(4); // three templates and the web form's double opt-in
      expect(signUps).toBe(3);
      expect(sent).toBe(4);
      expect(inbound).toBe(3);
      // The STOP was honoured at once: Alan is opted out of everything.
      const alan = await client.query("SELECT s.message_type, s.state FROM consent_state s JOIN contact c ON c.id = s.contact_id WHERE c.workspace_id = $1 AND c.phone = '+13125550144' ORDER BY 1", [workspaceId]);
      expect(alan.rows.map((r) => r.state)).toEqual(['opted_out', 'opted_out', 'opted_out']);
      // The key the demo worked with no longer works.
      const keys = await client.query("SELECT revoked_at FROM api_key WHERE workspace_id = $1 AND name = 'optline demo (temporary)'", [workspaceId]);
      expect(keys.rows).toEqual([{ revoked_at: expect.any(Date) }]);

      const before = await counts();
      const again = await run('demo', '--workspace', workspaceId);
      expect(again.code).toBe(3);
      expect(again.err).toBe(
        'Workspace "Demo Shop" already has the demo (its group "Demo contacts"); nothing was changed. For a fresh one: npm run optline -- workspace create --name "Demo", then demo --workspace <its id>.\n',
      );
      expect(await counts()).toEqual(before);
    } finally {
      await client.end();
    }
  }, 180_000);

  it('says in one line what to check when the database is down', async () => {
    const down = await optline(['workspace', 'list'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/optline' }, dir);
    expect(down.code).toBe(1);
    expect(down.err).toBe('cannot reach Postgres at 127.0.0.1:1 (ECONNREFUSED): check that Postgres runs and DATABASE_URL (environment or .env)\n');
    const status = await optline(['status'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/optline' }, dir);
    expect(status.err.trim().split('\n')).toHaveLength(1);
    const demo = await optline(['demo'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/optline' }, dir);
    expect([demo.code, demo.err]).toEqual([1, down.err]);
    const file = join(dir, 'down.csv');
    writeFileSync(file, 'phone\n+14155550100\n');
    const imported = await optline(['import', file, '--workspace', '4b1f7a0e-8f7e-4a55-9a62-0c7a2f3c9d11'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/optline' }, dir);
    expect([imported.code, imported.err]).toEqual([1, down.err]);
  }, 60_000);
});
