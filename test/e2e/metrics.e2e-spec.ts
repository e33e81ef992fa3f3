import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { MessageReconciler } from '@optline/messaging';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
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
    // The stored event is dispatched by a worker (here, the same process): counted with its lag.
    const dispatched = await waitFor('the event to be dispatched', async () => {
      const now = await scrape();
      return (now.get(`optline_event_dispatch_lag_seconds_count{plugin="${plugin.id}"}`) ?? 0) > (before.get(`optline_event_dispatch_lag_seconds_count{plugin="${plugin.id}"}`) ?? 0) ? now : null;
    });
    const dispatchedDelta = (key: string) => (dispatched.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(dispatchedDelta(`optline_events_dispatched_total{plugin="${plugin.id}",status="processed"}`)).toBe(1);
    expect(dispatchedDelta(`optline_event_dispatch_lag_seconds_count{plugin="${plugin.id}"}`)).toBe(1);
    expect(dispatchedDelta(`optline_event_dispatch_lag_seconds_bucket{le="+Inf",plugin="${plugin.id}"}`)).toBe(1);
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

  it('counts why messages were blocked or deferred, provider calls and refusals, and re-arms', async () => {
    const carrier = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 'invalid_number', message: 'not a mobile number' }));
      });
    });
    await new Promise<void>((done) => carrier.listen(0, '127.0.0.1', done));
    try {
      hub.manualClock.set(new Date('2026-11-20T07:00:00Z')); // 1 a.m. in Chicago: quiet hours
      const ws = await hub.createWorkspace();
      const contacts = hub.get(ContactService);
      const consent = hub.get(ConsentService);
      const { contact: ada } = await contacts.upsertByPhone(ws.id, { phone: '+13125550181' });
      const { contact: ken } = await contacts.upsertByPhone(ws.id, { phone: '+13125550182' });
      for (const c of [ada, ken]) await consent.record(ws.id, { contactId: c.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
      await consent.record(ws.id, { contactId: ken.id, types: 'all', state: 'opted_out', source: 'sms_keyword', evidence: { keyword: 'STOP' } });
      const auth = await ws.auth();
      const send = async (to: string, type: string, key: string) =>
        (await hub.http().post('/v1/messages').set('Authorization', auth).set('Idempotency-Key', key).send({ to, type, body: 'Spring sale: 15% off this week.' }).expect(202)).body.id as string;
      const status = (id: string, wanted: string) =>
        waitFor(`message ${id} ${wanted}`, async () => {
          const rows = await hub.dataSource.query('SELECT status, reason FROM message WHERE id = $1 AND workspace_id = $2', [id, ws.id]);
          return rows[0]?.status === wanted ? rows[0] : null;
        });

      const before = await scrape();
      const delta = (after: Map<string, number>, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
      const deferred = await send('+13125550181', 'marketing', 'reasons-1');
      const blocked = await send('+13125550182', 'marketing', 'reasons-2');
      expect((await status(deferred, 'deferred')).reason).toBe('quiet_hours');
      expect((await status(blocked, 'blocked')).reason).toBe('opted_out');
      const night = await scrape();
      expect(delta(night, 'optline_message_reasons_total{status="deferred",type="marketing",reason="quiet_hours"}')).toBe(1);
      expect(delta(night, 'optline_message_reasons_total{status="blocked",type="marketing",reason="opted_out"}')).toBe(1);

      // Morning; the deferred message's job is far in the (real) future: the reconciler puts it back, the console provider takes it.
      hub.manualClock.set(new Date('2026-11-20T17:00:00Z'));
      await hub.get(MessageReconciler).rearmDue();
      await status(deferred, 'sent');
      const morning = await scrape();
      expect(delta(morning, 'optline_reconciler_rearmed_total{reconciler="messages"}')).toBeGreaterThanOrEqual(1);
      expect(delta(morning, 'optline_provider_send_duration_seconds_count{provider="console",outcome="accepted"}')).toBe(1);

      // A carrier that refuses the number: an error by kind and code, and the call's time under its outcome.
      const url = `http://127.0.0.1:${(carrier.address() as AddressInfo).port}/sms`;
      await hub.http().put('/v1/sms-provider').set('Authorization', auth).send({ kind: 'http', url, signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', from: '+15005550006' }).expect(200);
      const refused = await send('+13125550181', 'transactional', 'reasons-3');
      expect((await status(refused, 'failed')).reason).toBe('invalid_number');
      const after = await scrape();
      expect(delta(after, 'optline_provider_errors_total{provider="http",kind="invalid_number",code="invalid_number"}')).toBe(1);
      expect(delta(after, 'optline_provider_send_duration_seconds_count{provider="http",outcome="invalid_number"}')).toBe(1);
      expect(delta(after, 'optline_message_reasons_total{status="failed",type="transactional",reason="invalid_number"}')).toBe(1);
    } finally {
      await new Promise((done) => carrier.close(done));
    }
  });

  it('serves every metric the sample Grafana dashboard charts', async () => {
    const dashboard = readFileSync(join(__dirname, '../../docs/grafana-dashboard.json'), 'utf8');
    const charted = new Set([...dashboard.matchAll(/optline_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, '')));
    expect(charted.size).toBeGreaterThanOrEqual(10);
    const text = (await hub.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;
    const served = new Set([...text.matchAll(/^# HELP (\S+)/gm)].map(([, name]) => name));
    expect([...charted].filter((name) => !served.has(name))).toEqual([]);
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
