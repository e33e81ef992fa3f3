import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from '../utils/test-database';
import { freePort } from '../utils/free-port';

const ROOT = resolve(__dirname, '../..');

/** The real entry point (main.ts under swc), started in `cwd` with exactly `env` (no inherited settings). */
function startHub(cwd: string, env: Record<string, string>): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), join(ROOT, 'apps/hub/src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, out: () => out, exited };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('the hub reads .env from its working directory; the real environment wins', () => {
  let db: { name: string; url: string };
  let dir: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'optline-env-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(db.name);
  });

  it('takes its port, database and root token from .env unless the environment sets them', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, '.env'),
      [
        '# written as config/.env.example suggests',
        `DATABASE_URL=${db.url}`,
        `REDIS_URL=${TEST_REDIS_URL}`,
        `QUEUE_PREFIX=optline-test:${db.name}`,
        `PORT=${port}`,
        'HUB_ROLE=api',
        'LOG_LEVEL=info',
        'OPTLINE_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
        'OPTLINE_ROOT_TOKEN="token-from-the-env-file-0001"',
        '',
      ].join('\n'),
    );
    const hub = startHub(dir, { OPTLINE_ROOT_TOKEN: 'token-from-the-environment-01' });
    try {
      expect(await waitFor(() => /listening on/.test(hub.out()), 60_000)).toBe(true);
      expect(hub.out()).toContain(`listening on ${port}`);
      expect(hub.out()).toContain(join(dir, '.env'));

      const http = request(`http://127.0.0.1:${port}`);
      const body = { name: 'Env file', brandName: 'Env File Alerts' };
      // The file's token is shadowed by the environment's.
      await http.post('/v1/workspaces').set('Authorization', 'Bearer token-from-the-env-file-0001').send(body).expect(401);
      const created = await http.post('/v1/workspaces').set('Authorization', 'Bearer token-from-the-environment-01').send(body).expect(201);
      // …and the database is the file's.
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      try {
        const { rows } = await pg.query('SELECT name FROM workspace WHERE id = $1', [created.body.workspace.id]);
        expect(rows).toEqual([{ name: 'Env file' }]);
      } finally {
        await pg.end();
      }
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  }, 90_000);
});
