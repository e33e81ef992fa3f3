import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { InboundSmsService } from '@optline/messaging';
import { TriggerEventStore, type CanonicalEvent } from '@optline/plugin-sdk';
import { FactWriter } from '@optline/reporting';
import { settle } from '../../libs/flows/testing/flow-e2e-kit';
import { StatusCallbackService } from '../../libs/messaging/src/inbound/status-callback.service';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, signIn } from './console-harness';

describeInBrowser('console: reports (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
  }, 60_000);
  afterAll(async () => h?.close());

  it('shows the numbers of a known day as charts and tables, warns about the opt-out rate, and loads recharts only there', async () => {
    const hub = h.hub;
    const workspace = (await owner.send('get', '/v1/workspace').expect(200)).body;
    const key = await owner.apiKey('admin');
    hub.manualClock.set('2026-03-10T15:00:00Z'); // 10:00 in New York, the workspace's zone
    const people = [];
    for (const phone of ['+12125550801', '+12125550802', '+12125550803', '+12125550804']) {
      const { contact } = await hub.get(ContactService).upsertByPhone(workspace.id, { phone });
      await hub.get(ConsentService).record(workspace.id, { contactId: contact.id, types: ['marketing'], state: 'opted_in', source: 'web_form', evidence: { form: 'reports-e2e' } });
      const sent = await hub.http().post('/v1/messages').set('Authorization', key).set('Idempotency-Key', `spring-${phone}`).send({ contactId: contact.id, type: 'marketing', template: "Acme: spring sale today {{ 'https://acme.test/sale' | link }} Reply STOP to opt out." }).expect(202);
      people.push({ phone, contactId: contact.id, messageId: sent.body.id as string });
    }
    await settle(hub);
    const status = (messageId: string, s: 'delivered' | 'undelivered', errorCode?: string) => hub.get(StatusCallbackService).report(workspace.id, { provider: 'http', messageId, status: s, errorCode: errorCode ?? null });
    await status(people[0].messageId, 'delivered');
    await status(people[0].messageId, 'delivered');
    await status(people[1].messageId, 'delivered');
    await status(people[2].messageId, 'delivered');
    await status(people[3].messageId, 'undelivered', '30003');
    const { body } = (await hub.http().get(`/v1/messages/${people[0].messageId}`).set('Authorization', key).expect(200));
    const code = /\/l\/([A-Za-z0-9]{8})/.exec(body.body)![1];
    await hub.http().get(`/l/${code}`).expect(302);
    await hub.http().get(`/l/${code}`).expect(302);
    hub.manualClock.set('2026-03-10T16:00:00Z');
    await hub.get(InboundSmsService).receive(workspace.id, { provider: 'http', providerMessageId: 'stop-803', from: people[2].phone, to: null, body: 'STOP' });
    hub.manualClock.set('2026-03-11T12:00:00Z');
    const order: CanonicalEvent = { type: 'order.created', dedupeKey: 'order-9001', occurredAt: hub.manualClock.now(), contact: { phone: people[0].phone }, correlation: { orderId: '9001' }, data: { totalPrice: '75.00' } };
    await hub.get(TriggerEventStore).storeMany(workspace.id, null, 'test', [order]);
    await settle(hub);
    await hub.get(FactWriter).flush();

    const { context, page } = await h.newPage();
    const scripts: string[] = [];
    page.on('response', async (r) => {
      if (r.url().endsWith('.js')) scripts.push(await r.text().catch(() => ''));
    });
    await signIn(page, OWNER.email, OWNER.password);
    // The first screens carry no charting code.
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.some((s) => s.includes('recharts-wrapper'))).toBe(false);

    await page.getByRole('link', { name: 'Reports' }).waitFor();
    await page.goto('/reports?from=2026-03-09&to=2026-03-12&type=marketing');
    const perPeriod = page.getByRole('table', { name: 'Numbers per period' });
    const day = perPeriod.getByRole('row').filter({ hasText: '2026-03-10' });
    await day.waitFor();
    const cells = await day.getByRole('cell').allInnerTexts();
    // Day, sent, delivered, undelivered, blocked, clicks, unique clicks, click rate, replies, opt-outs, opt-out rate.
    expect(cells).toEqual(['2026-03-10', '4', '3', '1', '0', '2', '1', '33.3 %', '0', '1', '33.3 %']);
    expect(scripts.some((s) => s.includes('recharts-wrapper'))).toBe(true);
    await page.getByRole('figure', { name: 'Sent, delivered, clicks and opt-outs over time' }).locator('svg').first().waitFor();

    await page.getByText("above this workspace's warning threshold of 2.0 %").waitFor();
    const revenue = page.getByRole('table', { name: 'Conversions and revenue per period' }).getByRole('row').filter({ hasText: '2026-03-10' });
    expect((await revenue.getByRole('cell').allInnerTexts()).slice(0, 3)).toEqual(['2026-03-10', '1', '$75.00']);
    const link = page.getByRole('table', { name: 'Top links' }).getByRole('row').filter({ hasText: 'https://acme.test/sale' });
    expect(await link.getByRole('cell').allInnerTexts()).toEqual(['https://acme.test/sale', '2', '1']);
    await context.close();
  });
});
