import { DomainEventBus } from '@optline/core';
import { FactWriter, RecomputeService } from '@optline/reporting';
import { InboundSmsService } from '@optline/messaging';
import { FlowKit, settle, waitFor } from '../../libs/flows/testing/flow-e2e-kit';
import { StatusCallbackService } from '../../libs/messaging/src/inbound/status-callback.service';
import { TestHub } from '../utils/test-hub';

/** 11:00 in Chicago (the workspace's zone below). */
const START = new Date('2026-03-10T17:00:00Z');
const SHORT = /https:\/\/hub\.optline\.test\/l\/([A-Za-z0-9]{8})/;

/**
 * A scripted month of one abandoned-cart flow with known truth: sends, delivery callbacks out of
 * order and repeated, clicks, a reply, a STOP, orders inside and outside the attribution windows.
 */
describe('reporting: every number of a scripted scenario, recompute, windows, isolation', () => {
  let hub: TestHub;
  let kit: FlowKit;
  let flowId: string;
  const ids: Record<string, { contact: string; nudge1: string; nudge2?: string; phone: string }> = {};

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(START);
    kit = new FlowKit(hub, await hub.createWorkspace({ timeZone: 'America/Chicago' }));
    flowId = await kit.activeTemplate('abandoned-cart');
  });
  afterAll(() => hub.close());

  const status = (messageId: string, s: 'sent' | 'delivered' | 'undelivered', errorCode?: string) =>
    hub.get(StatusCallbackService).report(kit.ws.id, { provider: 'http', messageId, status: s, errorCode: errorCode ?? null });
  const flush = async () => {
    await settle(hub);
    await hub.get(FactWriter).flush();
  };
  const get = async (path: string, auth?: string) => (await hub.http().get(path).set('Authorization', auth ?? (await kit.auth('marketing'))).expect(200)).body;
  const order = (key: string, phone: string, totalPrice: string) => ({ type: 'order.created' as const, dedupeKey: key, contact: { phone }, correlation: { orderId: key }, data: { totalPrice } });

  it('counts sends, deliveries, failures, clicks, replies, opt-outs and conversions exactly once', async () => {
    for (const [name, phone] of [['ann', '+13125550701'], ['bob', '+13125550702'], ['cid', '+13125550703']] as const) {
      const contact = await kit.contact(phone, { firstName: name, timeZone: 'America/Chicago' });
      await kit.optIn(contact.id);
      ids[name] = { contact: contact.id, nudge1: '', phone };
    }
    await kit.emit(Object.entries(ids).map(([name, c]) => ({ type: 'checkout.updated' as const, dedupeKey: `chk-${name}`, contact: { phone: c.phone }, correlation: { checkoutToken: `tok-${name}` }, data: { checkoutUrl: `https://acme.test/c/${name}` } })));
    await kit.runUntil('2026-03-10T18:00:00Z');
    for (const c of Object.values(ids)) c.nudge1 = (await kit.outbound(c.contact))[0].id;

    // Delivery callbacks out of order and repeated.
    hub.manualClock.set('2026-03-10T18:02:00Z');
    await status(ids.ann.nudge1, 'delivered');
    await status(ids.ann.nudge1, 'delivered');
    await status(ids.ann.nudge1, 'sent'); // late, ignored
    await status(ids.cid.nudge1, 'delivered');
    await status(ids.bob.nudge1, 'undelivered', '30007');
    await status(ids.bob.nudge1, 'undelivered', '30007');

    // Ann clicks her link twice; Cid replies; Bob texts STOP.
    hub.manualClock.set('2026-03-10T18:10:00Z');
    const annBody = (await kit.outbound(ids.ann.contact))[0].body;
    await hub.http().get(`/l/${SHORT.exec(annBody)![1]}`).expect(302);
    await hub.http().get(`/l/${SHORT.exec(annBody)![1]}`).expect(302);
    hub.manualClock.set('2026-03-10T18:30:00Z');
    await hub.get(InboundSmsService).receive(kit.ws.id, { provider: 'http', providerMessageId: 'in-cid-1', from: ids.cid.phone, to: null, body: 'Is the blue one still in stock?' });
    hub.manualClock.set('2026-03-10T19:00:00Z');
    await hub.get(InboundSmsService).receive(kit.ws.id, { provider: 'http', providerMessageId: 'in-bob-1', from: ids.bob.phone, to: null, body: 'STOP' });
    await flush();

    await kit.runUntil('2026-03-11T18:00:00Z');
    ids.ann.nudge2 = (await kit.outbound(ids.ann.contact))[1].id;
    ids.cid.nudge2 = (await kit.outbound(ids.cid.contact))[1].id;
    hub.manualClock.set('2026-03-11T18:05:00Z');
    await status(ids.cid.nudge2, 'delivered');
    await flush();

    // Orders: Ann 40 h after her click (inside 5 days), Cid 16 h after a delivery (inside 1 day),
    // Dee never texted, Ann again 10 days later (outside every window); one webhook replayed.
    hub.manualClock.set('2026-03-12T10:05:00Z');
    await kit.emit([order('1001', ids.ann.phone, '120.50'), order('1002', ids.cid.phone, '40.00'), order('1003', '+13125550704', '10.00')]);
    await kit.emit([order('1001', ids.ann.phone, '120.50')]);
    hub.manualClock.set('2026-03-20T10:00:00Z');
    await kit.emit([order('1004', ids.ann.phone, '99.00')]);
    await flush();
    // The same events delivered again (a redelivered callback, a replayed click) change nothing.
    const bus = hub.get(DomainEventBus);
    const code = SHORT.exec(annBody)![1];
    await bus.publish('link.clicked', { workspaceId: kit.ws.id, messageId: ids.ann.nudge1, code, url: 'https://acme.test/c/ann', clickNumber: 2, at: new Date('2026-03-10T18:10:00Z') });
    await bus.publish('message.status_changed', { workspaceId: kit.ws.id, messageId: ids.ann.nudge1, contactId: ids.ann.contact, status: 'delivered', type: 'marketing', systemKind: null });
    await flush();

    const marketing = await get(`/v1/reports/series?from=2026-03-09&to=2026-03-21&type=marketing`);
    expect(marketing.timeZone).toBe('America/Chicago');
    const pick = (r: any) => ({ bucket: r.bucket, sent: r.sent, delivered: r.delivered, undelivered: r.undelivered, failed: r.failed, blocked: r.blocked, clicks: r.clicks, uniqueClicks: r.uniqueClicks, clickRate: r.clickRate, replies: r.replies, optOuts: r.optOuts, optOutRate: r.optOutRate, conversions: r.conversions, revenue: r.revenue, segments: r.segments });
    expect(marketing.rows.map(pick)).toEqual([
      { bucket: '2026-03-10', sent: 3, delivered: 2, undelivered: 1, failed: 0, blocked: 0, clicks: 2, uniqueClicks: 1, clickRate: 0.5, replies: 1, optOuts: 1, optOutRate: 0.5, conversions: 1, revenue: 120.5, segments: marketing.rows[0].segments },
      { bucket: '2026-03-11', sent: 2, delivered: 1, undelivered: 0, failed: 0, blocked: 1, clicks: 0, uniqueClicks: 0, clickRate: 0, replies: 0, optOuts: 0, optOutRate: 0, conversions: 1, revenue: 40, segments: marketing.rows[1].segments },
    ]);
    // Every message here is one GSM-7 segment.
    expect(marketing.rows.map((r: any) => r.segments)).toEqual([3, 2]);

    // Per step of the flow, and the reasons.
    const steps = await get(`/v1/reports/breakdown?from=2026-03-09&to=2026-03-21&groupBy=step&flowId=${flowId}`);
    expect(Object.fromEntries(steps.rows.map((r: any) => [r.group.split(':')[1], [r.sent, r.delivered, r.uniqueClicks, r.conversions, r.revenue]]))).toEqual({
      'nudge-1': [3, 2, 1, 1, 120.5],
      'nudge-2': [2, 1, 0, 1, 40],
    });
    const reasons = await get(`/v1/reports/reasons?from=2026-03-09&to=2026-03-21`);
    expect(reasons.data).toEqual(expect.arrayContaining([{ measure: 'undelivered', detail: '30007', count: 1 }, { measure: 'blocked', detail: 'opted_out', count: 1 }]));

    const funnel = await get(`/v1/reports/funnel/${flowId}?from=2026-03-09&to=2026-03-21`);
    expect(funnel).toEqual({ flowId, entered: 3, sent: 5, delivered: 3, clicked: 1, converted: 2, revenue: 160.5 });

    const links = await get(`/v1/reports/links?from=2026-03-09&to=2026-03-21`);
    expect(links.data).toEqual([{ url: 'https://acme.test/c/ann', clicks: 2, uniqueClicks: 1 }]);

    const hourly = await get(`/v1/reports/series?granularity=hour&from=2026-03-10T17:00:00Z&to=2026-03-10T20:00:00Z&type=marketing`);
    expect(hourly.rows.map((r: any) => [r.bucket, r.sent, r.delivered, r.clicks])).toEqual([['2026-03-10T18:00:00Z', 3, 2, 2]]);

    const csv = await hub.http().get('/v1/reports/series?from=2026-03-09&to=2026-03-21&type=marketing').set('Authorization', await kit.auth('support')).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('bucket,group,label,sent,delivered,deliveryRate,undelivered,failed,blocked,deferred,segments,cost,clicks,uniqueClicks,clickRate,replies,optOuts,optOutRate,conversions,revenue');
    expect(csv.text.split('\n')[1]).toMatch(/^2026-03-10,,,3,2,0.6667,1,0,0,0,3,0,2,1,0.5,1,1,0.5,1,120.5$/);
  });

  async function rollups(): Promise<string[]> {
    const rows = await hub.dataSource.query(
      `SELECT grain, bucket, measure, flow_id, flow_version_id, step_id, campaign_id, type, source, provider, detail, count, segments, revenue FROM report_rollup WHERE workspace_id = $1 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`,
      [kit.ws.id],
    );
    return rows.map((r: any) => JSON.stringify(r));
  }
  async function recomputed(): Promise<void> {
    const done = await waitFor('the recompute to finish', async () => {
      const progress = await get('/v1/reports/recompute');
      return ['completed', 'failed'].includes(progress.status) && progress;
    }, 20_000);
    expect(done).toMatchObject({ status: 'completed', error: null });
  }

  it('a recompute from the raw rows arrives at exactly the incremental numbers', async () => {
    const before = await rollups();
    expect(before.length).toBeGreaterThan(10);
    await hub.http().post('/v1/reports/recompute').set('Authorization', await kit.auth('admin')).expect(202);
    await recomputed();
    const progress = await get('/v1/reports/recompute');
    expect(progress).toMatchObject({ status: 'completed', done: progress.total });
    expect(await rollups()).toEqual(before);
  });

  it('a recompute one day at a time (each day its own statement) arrives at the same rollups', async () => {
    const before = await rollups();
    // The scenario's messages were created on three different days: three ranges.
    const [{ days }] = await hub.dataSource.query(`SELECT count(DISTINCT date_trunc('day', created_at AT TIME ZONE 'UTC'))::int AS days FROM message WHERE workspace_id = $1 AND direction = 'outbound'`, [kit.ws.id]);
    expect(days).toBeGreaterThan(1);
    await hub.get(RecomputeService).rebuild(kit.ws.id, 1);
    expect(await rollups()).toEqual(before);
  });

  it('a shorter click window recomputes history: the order 40 h after the click no longer counts', async () => {
    const saved = await hub.http().put('/v1/reports/settings').set('Authorization', await kit.auth('admin')).send({ clickWindowMinutes: 24 * 60, segmentPrices: { console: 0.01 } }).expect(200);
    expect(saved.body).toMatchObject({ clickWindowMinutes: 1440, deliveryWindowMinutes: 1440 });
    await recomputed();
    const marketing = await get(`/v1/reports/series?from=2026-03-09&to=2026-03-21&type=marketing`);
    expect(marketing.rows.map((r: any) => [r.bucket, r.conversions, r.revenue, r.cost])).toEqual([
      ['2026-03-10', 0, 0, 0.03],
      ['2026-03-11', 1, 40, 0.02],
    ]);
    await hub.http().put('/v1/reports/settings').set('Authorization', await kit.auth('admin')).send({ clickWindowMinutes: 'soon' }).expect(400);
  });

  it('another workspace sees none of it and cannot read its funnel', async () => {
    const other = await hub.createWorkspace();
    const auth = await other.auth('admin');
    const series = await get('/v1/reports/series?from=2026-03-09&to=2026-03-21', auth);
    expect(series.rows).toEqual([]);
    await hub.http().get(`/v1/reports/funnel/${flowId}`).set('Authorization', auth).expect(404);
    await hub.http().get('/v1/reports/series?granularity=week').set('Authorization', auth).expect(400);
  });
});
