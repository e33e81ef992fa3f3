import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { PluginRegistry } from '@optline/plugin-sdk';
import { SignedJsonTestPlugin, signTestBody } from '../../libs/plugin-sdk/testing';
import { TestHub } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const SECRET = 'test-signing-secret-0001';

/** Parses the Prometheus text format into `name{labels}` → value. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.set(match[1], Number(match[2]));
  }
  return samples;
}

describe('metrics: the Prometheus endpoint', () => {
  let hub: TestHub;
  let plugin: SignedJsonTestPlugin;

  beforeAll(async () => {
    hub = await TestHub.start({ env: { METRICS_TOKEN } });
    plugin = new SignedJsonTestPlugin();
    hub.get(PluginRegistry).register(plugin);
  });
  afterAll(() => hub.close());

  const scrape = async () => {
    const res = await hub.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return parse(res.text);
  };

  it('answers 401 without the token or with another one', async () => {
    expect((await hub.http().get('/metrics').expect(401)).body.code).toBe('missing_credentials');
    expect((await hub.http().get('/metrics').set('Authorization', 'Bearer not-the-metrics-token').expect(401)).body.code).toBe('invalid_metrics_token');
  });

  it('counts webhooks received and refused, events stored, HTTP latency by route template, queues and the process', async () => {
    const ws = await hub.createWorkspace();
    const auth = await ws.auth();
    await hub.http().put(`/v1/plugins/${plugin.id}`).set('Authorization', auth).send({ config: { label: 'Shop', secret: SECRET } }).expect(200);
    const installation = (await hub.http().post(`/v1/plugins/${plugin.id}/enable`).set('Authorization', auth).expect(200)).body.installation as { id: string };
    const before = await scrape();

    const raw = JSON.stringify({ events: [{ id: 'm-1', type: 'order.created', at: '2026-11-22T09:00:00Z', phone: '+14155550101', token: 'tok-m-1', data: {} }] });
    const hook = () => hub.http().post(`/hooks/${plugin.id}/${installation.id}`).set('Content-Type', 'application/json');
    await hook().set('X-Test-Signature', signTestBody(SECRET, raw)).send(raw).expect(200);
    await hook().set('X-Test-Signature', signTestBody('another-secret-00000000', raw)).send(raw).expect(401);
    await hub.http().get(`/v1/contacts/4b1f7a0e-8f7e-4a55-9a62-0c7a2f3c9d11`).set('Authorization', auth).expect(404);

    const after = await scrape();
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta(`optline_webhooks_received_total{plugin="${plugin.id}"}`)).toBe(1);
    expect(delta(`optline_events_stored_total{plugin="${plugin.id}"}`)).toBe(1);
    expect(delta(`optline_webhooks_rejected_total{plugin="${plugin.id}",reason="invalid_signature"}`)).toBe(1);
    // The route template, never the id (a series per contact would swamp Prometheus).
    expect(delta('optline_http_request_duration_seconds_count{method="GET",route="/v1/contacts/:id",status="404"}')).toBe(1);
    expect([...after.keys()].some((k) => k.includes('4b1f7a0e'))).toBe(false);
    expect(delta(`optline_http_request_duration_seconds_count{method="POST",route="/hooks/:pluginId/:installationId",status="200"}`)).toBe(1);
    // Queues sampled at scrape time, every queue and state present; process metrics from prom-client.
    expect(after.has('optline_queue_jobs{queue="sends",state="failed"}')).toBe(true);
    expect(after.has('optline_queue_jobs{queue="events",state="waiting"}')).toBe(true);
    expect(after.get('optline_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.has('optline_nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('counts a message sent through the console provider by its outcome', async () => {
    hub.manualClock.set(new Date('2026-11-20T17:00:00Z')); // noon in New York: outside quiet hours
    const ws = await hub.createWorkspace();
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone: '+13125550101' });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
    const before = await scrape();
    const res = await hub
      .http()
      .post('/v1/messages')
      .set('Authorization', await ws.auth('marketing'))
      .set('Idempotency-Key', 'metrics-1')
      .send({ to: '+13125550101', type: 'marketing', body: 'Flash sale: 20% off today.' })
      .expect(202);
    await waitFor('the message to be sent', async () => {
      const rows = await hub.dataSource.query('SELECT status FROM message WHERE id = $1 AND workspace_id = $2', [res.body.id, ws.id]);
      return rows[0]?.status === 'sent' ? rows[0] : null;
    });
    const after = await scrape();
    const key = 'optline_message_status_changes_total{status="sent",type="marketing"}';
    expect((after.get(key) ?? 0) - (before.get(key) ?? 0)).toBe(1);
    expect(after.get('optline_http_request_duration_seconds_count{method="POST",route="/v1/messages",status="202"}')).toBe(1);
  });

  it('answers 404 when METRICS_TOKEN is not set', async () => {
    const off = await TestHub.start();
    try {
      const res = await off.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(404);
      expect(res.body.code).toBe('route_not_found');
    } finally {
      await off.close();
    }
  });
});
