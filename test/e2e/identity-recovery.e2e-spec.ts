import { SetupService } from '@optline/core';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { Browser } from '../utils/browser';
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL } from '../utils/test-database';
import { freePort } from '../utils/free-port';
import { TestHub } from '../utils/test-hub';

const ROOT = resolve(__dirname, '../..');
const KEY = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const OWNER = { email: 'owner@acme.test', password: 'the first password', displayName: 'Owner' };

/** Runs one of the hub's entry points (under swc, as `npm run optline` runs the built one) in an empty directory with exactly `env`. */
function run(entry: 'cli.ts' | 'main.ts', args: string[], env: Record<string, string>, cwd: string, stdin?: string): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', require.resolve('@swc-node/register'), join(ROOT, 'apps/hub/src', entry), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  child.stdin!.end(stdin ?? '');
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe('first run: the hub prints a one-time setup code in its log while no account exists', () => {
  let db: { name: string; url: string };
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'optline-setup-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(db.name);
  });

  it('prints the code at boot; the code sets the hub up once', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: `optline-test:${db.name}`, PORT: String(port), HUB_ROLE: 'api', LOG_LEVEL: 'info', OPTLINE_ENCRYPTION_KEY: KEY };
    const hub = run('main.ts', [], env, dir);
    try {
      const until = Date.now() + 60_000;
      let match: RegExpMatchArray | null = null;
      while (!match && Date.now() < until) {
        match = /setup code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(hub.out() + hub.err());
        if (!match) await new Promise((r) => setTimeout(r, 100));
      }
      expect(match).not.toBeNull();
      expect(hub.out() + hub.err()).toContain(`http://localhost:${port}/setup`);
      const http = request(`http://127.0.0.1:${port}`);
      expect((await http.get('/v1/setup').expect(200)).body).toEqual({ needsSetup: true });
      const body = { setupCode: match![1], workspaceName: 'Acme', brandName: 'Acme Alerts', ...OWNER };
      await http.post('/v1/setup').send(body).expect(201);
      expect((await http.post('/v1/setup').send(body).expect(409)).body.code).toBe('setup_done');
      // The code is stored hashed, and deleted once used.
      const { Client } = await import('pg');
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      try {
        expect((await pg.query('SELECT count(*)::int AS n FROM setup_code')).rows[0].n).toBe(0);
      } finally {
        await pg.end();
      }
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  }, 90_000);
});

describe('recovery commands: npm run optline -- user reset-password | api-key create', () => {
  let hub: TestHub;
  let dir: string;
  let env: Record<string, string>;
  let workspaceId: string;

  beforeAll(async () => {
    hub = await TestHub.start();
    dir = mkdtempSync(join(tmpdir(), 'optline-cli-'));
    env = {
      DATABASE_URL: hub.config.DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: hub.config.QUEUE_PREFIX,
      PUBLIC_URL: hub.config.PUBLIC_URL!,
      OPTLINE_ENCRYPTION_KEY: KEY,
    };
    const { workspace } = await hub.get(SetupService).complete({ setupCode: (await hub.get(SetupService).issueCode())!, workspaceName: 'Acme', brandName: 'Acme Alerts', ...OWNER });
    workspaceId = workspace.id;
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await hub?.close();
  });

  it('prints a one-time reset link; using it sets the password and signs the person out everywhere', async () => {
    const signedIn = new Browser(hub);
    await signedIn.signIn(OWNER.email, OWNER.password);

    const cli = run('cli.ts', ['user', 'reset-password', '--email', 'OWNER@acme.test'], env, dir);
    expect(await cli.exited).toBe(0);
    const printed = JSON.parse(cli.out().slice(0, cli.out().lastIndexOf('}') + 1));
    expect(printed.resetUrl).toMatch(/^https:\/\/hub\.optline\.test\/reset-password\/olr_[\w-]{43}$/);
    const token = printed.resetUrl.slice(printed.resetUrl.lastIndexOf('/') + 1);

    expect((await hub.http().get(`/v1/password-resets/${token}`).expect(200)).body).toEqual({ email: OWNER.email });
    expect((await hub.http().post(`/v1/password-resets/${token}`).send({ password: 'short' }).expect(422)).body.details[0].field).toBe('password');
    await hub.http().post(`/v1/password-resets/${token}`).send({ password: 'the second password' }).expect(204);
    expect((await hub.http().post(`/v1/password-resets/${token}`).send({ password: 'the third password' }).expect(410)).body.code).toBe('reset_used');

    expect((await signedIn.get('/v1/auth/me')).status).toBe(401);
    expect((await new Browser(hub).post('/v1/auth/login', { email: OWNER.email, password: OWNER.password })).status).toBe(401);
    await new Browser(hub).signIn(OWNER.email, 'the second password');
  }, 60_000);

  it('sets a password read from stdin, and says so plainly for an unknown email', async () => {
    const cli = run('cli.ts', ['user', 'reset-password', '--email', OWNER.email, '--password-stdin'], env, dir, 'a password from stdin\n');
    expect(await cli.exited).toBe(0);
    expect(cli.out()).toContain('Password set for owner@acme.test');
    await new Browser(hub).signIn(OWNER.email, 'a password from stdin');

    const unknown = run('cli.ts', ['user', 'reset-password', '--email', 'nobody@acme.test'], env, dir);
    expect(await unknown.exited).toBe(1);
    expect(unknown.err()).toBe('No account has the email nobody@acme.test\n');
  }, 60_000);

  it('creates a new admin API key for a workspace whose keys are lost', async () => {
    const cli = run('cli.ts', ['api-key', 'create', '--workspace', workspaceId, '--role', 'admin'], env, dir);
    expect(await cli.exited).toBe(0);
    const printed = JSON.parse(cli.out().slice(0, cli.out().lastIndexOf('}') + 1));
    expect(printed).toMatchObject({ workspaceId, role: 'admin', key: expect.stringMatching(/^olk_/) });
    const res = await hub.http().get('/v1/workspace').set('Authorization', `Bearer ${printed.key}`).expect(200);
    expect(res.body.id).toBe(workspaceId);
    await hub.http().post('/v1/api-keys').set('Authorization', `Bearer ${printed.key}`).send({ name: 'new', role: 'support' }).expect(201);

    const missing = run('cli.ts', ['api-key', 'create', '--workspace', '00000000-0000-4000-8000-000000000000', '--role', 'admin'], env, dir);
    expect(await missing.exited).toBe(1);
    expect(missing.err()).toMatch(/Workspace 00000000-0000-4000-8000-000000000000 was not found/);

    const trail = await hub.http().get('/v1/audit-events').set('Authorization', `Bearer ${printed.key}`).expect(200);
    expect(trail.body.items.map((e: { actor: string; action: string }) => `${e.actor} ${e.action}`)).toEqual(
      expect.arrayContaining(['operator:cli api_key.created', 'operator:cli user.password_set', 'operator:cli user.reset_link_issued']),
    );
  }, 60_000);

  it('invites a person into a workspace made before people could sign in', async () => {
    const older = await hub.createWorkspace({ name: 'Older', brandName: 'Older Alerts' });
    const cli = run('cli.ts', ['user', 'invite', '--workspace', older.id, '--email', 'first@older.test', '--role', 'admin'], env, dir);
    expect(await cli.exited).toBe(0);
    const printed = JSON.parse(cli.out().slice(0, cli.out().lastIndexOf('}') + 1));
    expect(printed).toMatchObject({ workspaceId: older.id, email: 'first@older.test', role: 'admin', inviteUrl: expect.stringMatching(/^https:\/\/hub\.optline\.test\/invite\/oli_/) });
    const token = printed.inviteUrl.slice(printed.inviteUrl.lastIndexOf('/') + 1);
    const accepted = await hub.http().post(`/v1/invitations/accept/${token}`).send({ displayName: 'First', password: 'a long enough password' }).expect(201);
    expect(accepted.body.workspace).toMatchObject({ id: older.id, name: 'Older' });
  }, 60_000);
});
