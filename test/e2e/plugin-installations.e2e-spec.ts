import { SecretBox } from '@optline/core';
import { PluginRegistry } from '@optline/plugin-sdk';
import { SignedJsonTestPlugin } from '../../libs/plugin-sdk/testing';
import { listRoutes } from '../utils/routes';
import { TestHub } from '../utils/test-hub';

const SECRET = 'installation-secret-0001';

describe('plugin installations: catalogue, config, lifecycle, status', () => {
  let hub: TestHub;
  let plugin: SignedJsonTestPlugin;

  beforeAll(async () => {
    hub = await TestHub.start();
    plugin = new SignedJsonTestPlugin();
    hub.get(PluginRegistry).register(plugin);
  });
  afterAll(() => hub.close());

  it('lists the catalogue with each config schema, secrets marked, and no installation yet', async () => {
    const ws = await hub.createWorkspace();
    const res = await hub.http().get('/v1/plugins').set('Authorization', await ws.auth('marketing')).expect(200);
    const test = res.body.data.find((p: { id: string }) => p.id === plugin.id);
    expect(test).toMatchObject({
      name: 'Signed JSON (test)',
      emits: ['order.created', 'checkout.updated', 'contact.updated'],
      writesConsentBack: true,
      installation: null,
      configSchema: {
        type: 'object',
        required: ['label', 'secret'],
        properties: {
          label: { type: 'string', example: 'Test shop' },
          secret: { type: 'string', secret: true },
          writebackUrl: { type: 'string' },
        },
      },
    });
    expect(test.configSchema.properties.secret.example).toBeUndefined();
    expect(res.body.data.map((p: { id: string }) => p.id)).toContain('web-forms');
    await hub.http().get('/v1/plugins/no-such-plugin').set('Authorization', await ws.auth()).expect(404);
    await hub.http().put('/v1/plugins/no-such-plugin').set('Authorization', await ws.auth()).send({ config: {} }).expect(404);
    await hub.http().get('/v1/plugins/Bad_Id!').set('Authorization', await ws.auth()).expect(400);
  });

  it('validates the config against the schema, naming the field', async () => {
    const ws = await hub.createWorkspace();
    const res = await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', await ws.auth()).send({ config: { label: '', secret: 'short', extra: 1 } }).expect(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['config.extra', 'config.label', 'config.secret']);
    const noConfig = await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', await ws.auth()).send({}).expect(400);
    expect(noConfig.body.details[0].field).toBe('config');
    expect(await hub.dataSource.query('SELECT 1 FROM plugin_installation WHERE workspace_id = $1', [ws.id])).toEqual([]);
  });

  it('seals secrets with the current key, masks them in every answer, and keeps them when left out or sent masked', async () => {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth();
    const created = await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Shop', secret: SECRET } }).expect(200);
    expect(created.body.installation.config).toEqual({ label: 'Shop', secret: '********' });
    expect(JSON.stringify(created.body)).not.toContain(SECRET);

    const box = hub.get(SecretBox);
    const stored = async () => (await hub.dataSource.query('SELECT config, secrets, key_id FROM plugin_installation WHERE workspace_id = $1', [ws.id]))[0];
    const first = await stored();
    expect(first.config).toEqual({ label: 'Shop' });
    expect(JSON.stringify(first)).not.toContain(SECRET);
    expect(first.key_id).toBe(box.currentKeyId);
    expect(box.openJson(first.secrets)).toEqual({ secret: SECRET });

    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Renamed' } }).expect(200);
    expect(box.openJson((await stored()).secrets)).toEqual({ secret: SECRET });
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Renamed', secret: '********' } }).expect(200);
    expect(box.openJson((await stored()).secrets)).toEqual({ secret: SECRET });
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Renamed', secret: 'a-brand-new-secret-value' } }).expect(200);
    expect(box.openJson((await stored()).secrets)).toEqual({ secret: 'a-brand-new-secret-value' });
  });

  it('enables through the plugin’s onEnable (keeping its state) and keeps a refused installation disabled with the reason', async () => {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth('operations');
    await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(404);
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'refuse', secret: SECRET } }).expect(200);
    const refused = await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(422);
    expect(refused.body.details).toEqual([{ field: 'config.label', message: 'the remote system refused this account' }]);
    const still = await hub.http().get(`/v1/plugins/${plugin.id}`).set('Authorization', auth).expect(200);
    expect(still.body.installation).toMatchObject({ enabled: false, status: { lastError: { source: 'enable', message: expect.stringContaining('refused') } } });

    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Shop', secret: SECRET } }).expect(200);
    const enabled = await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(200);
    const id = enabled.body.installation.id as string;
    expect(enabled.body.installation).toMatchObject({ enabled: true, status: { enabledAt: expect.any(String) } });
    expect(plugin.enabled).toContain(id);
    const state = await hub.dataSource.query('SELECT state FROM plugin_installation WHERE id = $1', [id]);
    expect(state[0].state).toEqual({ webhookId: `wh_${id.slice(0, 8)}` });

    // A config change while enabled runs onEnable again; a refusal there disables it.
    const reconfigured = await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'refuse' } }).expect(422);
    expect(reconfigured.body.details[0].field).toBe('config.label');
    const after = await hub.http().get(`/v1/plugins/${plugin.id}`).set('Authorization', auth).expect(200);
    expect(after.body.installation.enabled).toBe(false);
  });

  it('disables and uninstalls through onDisable; events outlive the installation', async () => {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth();
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Shop', secret: SECRET } }).expect(200);
    const enabled = await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(200);
    const id = enabled.body.installation.id as string;
    const disabled = await hub.http().post(`/v1/plugins/${plugin.id}/disable`).set('Authorization', auth).expect(200);
    expect(disabled.body.installation.enabled).toBe(false);
    expect(plugin.disabled).toContain(id);

    await hub.http().delete(`/v1/plugins/${plugin.id}`).set('Authorization', auth).expect(204);
    const gone = await hub.http().get(`/v1/plugins/${plugin.id}`).set('Authorization', auth).expect(200);
    expect(gone.body.installation).toBeNull();
    await hub.http().post(`/hooks/${plugin.id}/${id}`).send({ events: [] }).expect(404);
    await hub.http().delete(`/v1/plugins/${plugin.id}`).set('Authorization', auth).expect(404);
  });

  it("keeps each workspace's installation to itself", async () => {
    const a = await hub.createWorkspace({ name: 'A' });
    const b = await hub.createWorkspace({ name: 'B' });
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', await a.auth()).send({ config: { label: 'A shop', secret: SECRET } }).expect(200);
    const bView = await hub.http().get(`/v1/plugins/${plugin.id}`).set('Authorization', await b.auth()).expect(200);
    expect(bView.body.installation).toBeNull();
    await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', await b.auth()).expect(404);
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', await a.auth('support')).send({ config: {} }).expect(403);
  });

  it('declares access on every SDK and web-forms route, documents it, and its tables match the migration', async () => {
    const mine = listRoutes(hub.app).filter((r) => /^\/(hooks|f|p)\/|^\/v1\/(plugins|events|forms)/.test(r.path));
    expect(mine.length).toBeGreaterThanOrEqual(16);
    expect(mine.filter((r) => r.access === undefined)).toEqual([]);
    const doc = await hub.http().get('/docs/openapi.json').expect(200);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    expect(mine.map((r) => `${r.method} ${r.path}`).filter((r) => !documented.has(r))).toEqual([]);

    const pending = await hub.dataSource.driver.createSchemaBuilder().log();
    const ours = pending.upQueries.map((q) => q.query).filter((q) => /plugin_installation|trigger_event|plugin_writeback/.test(q));
    expect(ours).toEqual([]);
  });
});
