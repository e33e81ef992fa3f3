import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '@optline/core';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { concretePath, listRoutes } from '../utils/routes';
import { ROOT_TOKEN, TestHub } from '../utils/test-hub';

describe('foundation: workspaces, keys, roles, operability', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub.close());

  it('reports ready when Postgres and Redis answer', async () => {
    const res = await hub.http().get('/health/ready').expect(200);
    expect(res.body.info).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
    await hub.http().get('/health').expect(200, { status: 'ok' });
  });

  it('creates a workspace only with the root token, returning an admin key once', async () => {
    const missing = await hub.http().post('/v1/workspaces').send({ name: 'Nope' }).expect(401);
    expect(missing.body.code).toBe('missing_credentials');
    const wrong = await hub.http().post('/v1/workspaces').set('Authorization', 'Bearer not-the-root-token-at-all').send({ name: 'Nope' }).expect(401);
    expect(wrong.body.code).toBe('invalid_root_token');

    const res = await hub
      .http()
      .post('/v1/workspaces')
      .set('Authorization', `Bearer ${ROOT_TOKEN}`)
      .send({ name: 'Acme Inc.', brandName: 'Acme Alerts', timeZone: 'America/Chicago' })
      .expect(201);
    expect(res.body.workspace).toMatchObject({ name: 'Acme Inc.', brandName: 'Acme Alerts', timeZone: 'America/Chicago', optInMode: 'consent' });
    expect(res.body.apiKey.key).toMatch(/^olk_[0-9a-f]{8}_/);

    // The key works, and it is stored only as a hash.
    await hub.http().get('/v1/workspace').set('Authorization', `Bearer ${res.body.apiKey.key}`).expect(200);
    const rows = await hub.dataSource.query('SELECT key_hash FROM api_key WHERE workspace_id = $1', [res.body.workspace.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).not.toContain(res.body.apiKey.key);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 400 naming each failing field, and never a stack trace', async () => {
    const res = await hub
      .http()
      .post('/v1/workspaces')
      .set('Authorization', `Bearer ${ROOT_TOKEN}`)
      .send({ name: '', timeZone: 'Mars/Olympus', optInMode: 'maybe', extra: 1 })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'timeZone', 'optInMode', 'extra']));
    expect(JSON.stringify(res.body)).not.toMatch(/at .+\.(ts|js):\d+/);

    const ws = await hub.createWorkspace();
    const nested = await hub
      .http()
      .patch('/v1/workspace')
      .set('Authorization', await ws.auth())
      .send({ quietHours: { start: '25:00', end: '21:00', exemptTransactional: true } })
      .expect(400);
    expect(nested.body.details[0].field).toBe('quietHours.start');

    const malformed = await hub.http().post('/v1/api-keys').set('Authorization', await ws.auth()).set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(malformed.body.code).toBe('malformed_body');
    const unknownRoute = await hub.http().get('/v1/no-such-thing').set('Authorization', await ws.auth()).expect(404);
    expect(unknownRoute.body.code).toBe('route_not_found');
  });

  it('lets an admin change the profile and sending policy', async () => {
    const ws = await hub.createWorkspace();
    const res = await hub
      .http()
      .patch('/v1/workspace')
      .set('Authorization', await ws.auth())
      .send({ supportPhone: '+14155550100', optInMode: 'disclaimer', quietHours: { start: '09:00', end: '20:00', exemptTransactional: false } })
      .expect(200);
    expect(res.body).toMatchObject({ supportPhone: '+14155550100', optInMode: 'disclaimer', quietHours: { start: '09:00', end: '20:00' } });
    const again = await hub.http().get('/v1/workspace').set('Authorization', await ws.auth()).expect(200);
    expect(again.body.frequencyCap).toEqual({ count: 3, windowHours: 24, types: ['marketing'] });
    expect(again.body.optInMode).toBe('disclaimer');
  });

  it('refuses a revoked key at once', async () => {
    const ws = await hub.createWorkspace();
    const created = await hub.http().post('/v1/api-keys').set('Authorization', await ws.auth()).send({ name: 'temp', role: 'support' }).expect(201);
    await hub.http().get('/v1/workspace').set('Authorization', `Bearer ${created.body.key}`).expect(200);
    const listed = await hub.http().get('/v1/api-keys').set('Authorization', await ws.auth()).expect(200);
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    await hub.http().delete(`/v1/api-keys/${created.body.id}`).set('Authorization', await ws.auth()).expect(200);
    const refused = await hub.http().get('/v1/workspace').set('Authorization', `Bearer ${created.body.key}`).expect(401);
    expect(refused.body.code).toBe('invalid_api_key');
  });

  it("gives workspace A a 404 for workspace B's objects", async () => {
    const a = await hub.createWorkspace({ name: 'A' });
    const b = await hub.createWorkspace({ name: 'B' });
    const bKey = await hub.http().post('/v1/api-keys').set('Authorization', await b.auth()).send({ name: 'b', role: 'marketing' }).expect(201);
    await hub.http().delete(`/v1/api-keys/${bKey.body.id}`).set('Authorization', await a.auth()).expect(404);
    const aList = await hub.http().get('/v1/api-keys').set('Authorization', await a.auth()).expect(200);
    expect(aList.body.data.map((k: { id: string }) => k.id)).not.toContain(bKey.body.id);
    const aView = await hub.http().get('/v1/workspace').set('Authorization', await a.auth()).expect(200);
    expect(aView.body.name).toBe('A');
    // B's key still works: A's attempt changed nothing.
    await hub.http().get('/v1/workspace').set('Authorization', `Bearer ${bKey.body.key}`).expect(200);
  });

  it('enforces the permission matrix on every guarded route, for every role', async () => {
    const routes = listRoutes(hub.app).filter((r) => !r.path.startsWith('/docs'));
    const undeclared = routes.filter((r) => r.access === undefined);
    expect(undeclared).toEqual([]);

    const ws = await hub.createWorkspace();
    const guarded = routes.filter((r) => r.access?.kind === 'permission');
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      const permission = (route.access as { permission: (typeof PERMISSIONS)[number] }).permission;
      for (const role of ROLES) {
        const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
        const res = await hub.http()[method](concretePath(route.path)).set('Authorization', await ws.auth(role)).send({});
        const allowed = ROLE_PERMISSIONS[role].has(permission);
        const label = `${role} ${route.method} ${route.path} (${permission}) -> ${res.status}`;
        if (allowed) expect([label, res.status === 403 || res.status === 401]).toEqual([label, false]);
        else expect([label, res.status, res.body.code]).toEqual([label, 403, 'permission_denied']);
      }
    }
  });

  it('has migrations that match the entities exactly', async () => {
    const pending = await hub.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('describes every route in the OpenAPI document', async () => {
    const res = await hub.http().get('/docs/openapi.json').expect(200);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const missing = listRoutes(hub.app)
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
  });
});

describe('configuration is validated at boot', () => {
  it('stops with one line naming a bad variable', () => {
    const root = resolve(__dirname, '../..');
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/hub/src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'eighty', SWC_NODE_PROJECT: 'tsconfig.json' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT="eighty": PORT must be a whole number/)]);
  });
});
