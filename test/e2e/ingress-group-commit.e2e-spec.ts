import { PluginRegistry, TriggerEventStore } from '@optline/plugin-sdk';
import type { CanonicalEvent } from '@optline/plugin-sdk';
import { randomUUID } from 'node:crypto';
import { SignedJsonTestPlugin, signTestBody } from '../../libs/plugin-sdk/testing';
import { TriggerEventRepository } from '../../libs/plugin-sdk/src/events/trigger-event.repository';
import { InstallationDeliveries } from '../../libs/plugin-sdk/src/installations/installation-deliveries.service';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { eventually } from '../utils/wait';

const SECRET = 'test-signing-secret-0002';

/**
 * Concurrent webhooks share their database and Redis round trips (group commit, decision 0068)
 * and their delivery counts are written once a second (decision 0069); each request still gets
 * its own answer, stored before it, with duplicates and tenancy kept apart.
 */
describe('webhook ingress under concurrency: group commit, shared lookups and limits, coalesced counts', () => {
  let hub: TestHub;
  let plugin: SignedJsonTestPlugin;

  beforeAll(async () => {
    hub = await TestHub.start();
    plugin = new SignedJsonTestPlugin();
    hub.get(PluginRegistry).register(plugin);
  });
  afterAll(() => hub.close());

  async function install(ws: TestWorkspace, extra: Record<string, unknown> = {}) {
    const auth = await ws.auth();
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Shop', secret: SECRET }, ...extra }).expect(200);
    const res = await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(200);
    return res.body.installation as { id: string };
  }

  function deliver(installationId: string, body: unknown) {
    const raw = JSON.stringify(body);
    return hub.http().post(`/hooks/${plugin.id}/${installationId}`).set('Content-Type', 'application/json').set('X-Test-Signature', signTestBody(SECRET, raw)).send(raw);
  }

  const order = (id: string, data: Record<string, unknown> = {}) => ({ id, type: 'order.created', at: '2026-11-22T09:00:00Z', phone: '+14155550101', token: `tok-${id}`, data });
  const event = (dedupeKey: string): CanonicalEvent => ({ type: 'order.created', dedupeKey, occurredAt: new Date('2026-11-22T09:00:00Z'), contact: { phone: null }, correlation: {}, data: { key: dedupeKey } });

  async function storedKeys(workspaceId: string): Promise<{ id: string; dedupe_key: string; installation_id: string }[]> {
    return hub.dataSource.query('SELECT id, dedupe_key, installation_id FROM trigger_event WHERE workspace_id = $1 ORDER BY dedupe_key', [workspaceId]);
  }

  it('stores concurrent calls in one statement, each caller getting its own rows, across workspaces and installations', async () => {
    const a = await hub.createWorkspace();
    const b = await hub.createWorkspace({ name: 'Other' });
    const [installA, installB] = [randomUUID(), randomUUID()];
    const store = hub.get(TriggerEventStore);
    const inserts = jest.spyOn(hub.get(TriggerEventRepository), 'insertNew');
    try {
      // Same dedupe key in two workspaces and two installations: four different events.
      const results = await Promise.all([
        store.storeMany(a.id, installA, plugin.id, [event('k-1'), event('k-2')]),
        store.storeMany(b.id, installB, plugin.id, [event('k-1')]),
        store.storeMany(a.id, randomUUID(), plugin.id, [event('k-1')]),
        store.storeMany(a.id, null, 'hub', [event('k-1')]),
      ]);
      expect(inserts).toHaveBeenCalledTimes(1);
      expect(results.map((r) => [r.stored.length, r.duplicates])).toEqual([
        [2, 0],
        [1, 0],
        [1, 0],
        [1, 0],
      ]);
      const ids = results.flatMap((r) => r.stored.map((e) => e.id));
      expect(new Set(ids).size).toBe(5);
      // Each caller's ids are its own rows.
      const rowsA = await storedKeys(a.id);
      const first = rowsA.filter((r) => r.installation_id === installA);
      expect(results[0].stored.map((e) => [e.dedupeKey, e.id])).toEqual(first.map((r) => [r.dedupe_key, r.id]));
      expect((await storedKeys(b.id)).map((r) => r.id)).toEqual([results[1].stored[0].id]);
    } finally {
      inserts.mockRestore();
    }
  });

  it('answers the same event carried by two concurrent calls once as stored and once as a duplicate', async () => {
    const ws = await hub.createWorkspace();
    const installationId = randomUUID();
    const store = hub.get(TriggerEventStore);
    const [first, second] = await Promise.all([store.storeMany(ws.id, installationId, plugin.id, [event('same')]), store.storeMany(ws.id, installationId, plugin.id, [event('same'), event('other')])]);
    expect([first.stored.length, first.duplicates]).toEqual([1, 0]);
    expect([second.stored.map((e) => e.dedupeKey), second.duplicates]).toEqual([['other'], 1]);
    expect((await storedKeys(ws.id)).map((r) => r.dedupe_key)).toEqual(['other', 'same']);
  });

  it('fails only the call whose rows the database refuses, not the others of its batch', async () => {
    const ws = await hub.createWorkspace();
    const installationId = randomUUID();
    const store = hub.get(TriggerEventStore);
    const bad: CanonicalEvent = { ...event('bad'), data: { note: 'nul \u0000 byte' } };
    const results = await Promise.allSettled([store.storeMany(ws.id, installationId, plugin.id, [event('good-1')]), store.storeMany(ws.id, installationId, plugin.id, [bad]), store.storeMany(ws.id, installationId, plugin.id, [event('good-2')])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await storedKeys(ws.id)).map((r) => r.dedupe_key)).toEqual(['good-1', 'good-2']);
  });

  it('answers concurrent webhooks each with its own events, a simultaneous redelivery as a duplicate, and stores every event once', async () => {
    const ws = await hub.createWorkspace();
    const installation = await install(ws);
    const bodies = Array.from({ length: 20 }, (_, i) => ({ events: [order(`c-${i}`)] }));
    const responses = await Promise.all([...bodies, bodies[0]].map((body) => deliver(installation.id, body)));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const rows = await storedKeys(ws.id);
    expect(rows).toHaveLength(20);
    const byKey = new Map(rows.map((r) => [r.dedupe_key, r.id]));
    responses.slice(1, 20).forEach((res, i) => expect(res.body).toEqual({ received: 1, stored: [byKey.get(`c-${i + 1}`)], duplicates: 0 }));
    // The first delivery and its simultaneous copy: one stored it, the other was told it is a duplicate.
    const pair = [responses[0].body, responses[20].body].sort((x, y) => x.duplicates - y.duplicates);
    expect(pair).toEqual([
      { received: 1, stored: [byKey.get('c-0')], duplicates: 0 },
      { received: 1, stored: [], duplicates: 1 },
    ]);
  });

  it('limits concurrent webhooks exactly: with 3 per minute, 3 of 5 simultaneous deliveries pass', async () => {
    const ws = await hub.createWorkspace();
    const installation = await install(ws, { requestsPerMinute: 3 });
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => deliver(installation.id, { events: [order(`rl-${i}`)] })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
    expect(await storedKeys(ws.id)).toHaveLength(3);
  });

  it('answers a hook URL with bad parameters 400, naming each field', async () => {
    const res = await hub.http().post('/hooks/Not_A_Plugin/not-a-uuid').send({}).expect(400);
    expect(res.body.details).toEqual([
      { field: 'pluginId', message: expect.stringContaining('plugin id') },
      { field: 'installationId', message: 'installationId must be a UUID' },
    ]);
  });

  it('writes accepted-delivery counts within about a second, without anyone reading the status', async () => {
    const ws = await hub.createWorkspace();
    const installation = await install(ws);
    await Promise.all([deliver(installation.id, { events: [order('n-1')] }), deliver(installation.id, { events: [order('n-1'), order('n-2')] })]);
    const counts = await eventually(async () => {
      const [row] = await hub.dataSource.query('SELECT received_count, duplicate_count, last_event_at FROM plugin_installation WHERE id = $1 AND workspace_id = $2', [installation.id, ws.id]);
      return row.received_count === 2 ? row : undefined;
    }, 'the coalesced counts to be written');
    expect(counts).toMatchObject({ received_count: 2, duplicate_count: 1, last_event_at: expect.any(Date) });
  });

  it('makes the counts exact for a status read in the same process, last_event_at moving only forward', async () => {
    const ws = await hub.createWorkspace();
    const installation = await install(ws);
    const deliveries = hub.get(InstallationDeliveries);
    const at = new Date('2026-11-22T10:00:00Z');
    deliveries.accepted(ws.id, installation.id, at, 3, 1);
    deliveries.accepted(ws.id, installation.id, new Date('2026-11-22T09:00:00Z'), 1, 0);
    const status = await hub.http().get(`/v1/plugins/${plugin.id}`).set('Authorization', await ws.auth()).expect(200);
    expect(status.body.installation.status).toMatchObject({ lastEventAt: at.toISOString(), counts: { received: 4, duplicates: 1 } });
  });
});
