import { CampaignRunner } from '@optline/audience';
import { FactWriter } from '@optline/reporting';
import { InboundSmsService } from '@optline/messaging';
import type { Page } from 'playwright-core';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { StatusCallbackService } from '../../libs/messaging/src/inbound/status-callback.service';
import { TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

const SHORT = /\/l\/([A-Za-z0-9]{8})/;

/** The Summary table as { measure: value } (what a person reads). */
async function summaryOf(page: Page): Promise<Record<string, string>> {
  const rows = await page.getByRole('table', { name: 'Summary' }).locator('tbody tr').all();
  return Object.fromEntries(await Promise.all(rows.map(async (r) => (await r.getByRole('cell').allInnerTexts()) as [string, string])));
}

const pct = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const usd = (n: number) => `$${n.toFixed(2)}`;

/** An API (or CSV) row as the Summary shows it: the screen must say exactly what the API says. */
function asShown(r: Record<string, number>): Record<string, string> {
  return {
    Sent: String(r.sent),
    Delivered: String(r.delivered),
    'Delivery rate': pct(r.deliveryRate),
    'Undelivered or failed': String(r.undelivered + r.failed),
    Blocked: String(r.blocked),
    Clicks: String(r.clicks),
    'Messages clicked': String(r.uniqueClicks),
    'Click rate': pct(r.clickRate),
    Replies: String(r.replies),
    'Opt-outs': String(r.optOuts),
    'Opt-out rate': pct(r.optOutRate),
    Conversions: String(r.conversions),
    Revenue: usd(r.revenue),
    Segments: String(r.segments),
    Cost: usd(r.cost),
  };
}

function csvRow(text: string): Record<string, number> {
  const [header, first] = text.trim().split('\n');
  const values = first.split(',');
  return Object.fromEntries(header.split(',').map((h, i) => [h, Number(values[i])]));
}

/**
 * The flow's own report with known truth (the abandoned-cart month of test/e2e/reporting): three
 * people, callbacks out of order and repeated, two clicks, a reply, a STOP, a blocked nudge,
 * orders inside and outside the attribution windows. A business owner opens the flow, its
 * report, picks a period and reads the numbers; the API and the CSV answer the same.
 */
describeInBrowser('console: a flow’s report and the report settings (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let kit: FlowKit;
  let flowId: string;

  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    const hub = h.hub;
    const workspaceId = (await owner.send('get', '/v1/auth/me').expect(200)).body.workspace.id;
    await owner.send('patch', '/v1/workspace', { timeZone: 'America/Chicago' }).expect(200);
    kit = new FlowKit(hub, new TestWorkspace(hub, workspaceId, (await owner.apiKey('admin')).replace(/^Bearer /, '')));
    hub.manualClock.set('2026-03-10T17:00:00Z');
    flowId = await kit.activeTemplate('abandoned-cart');

    const people: Record<string, { contact: string; phone: string; nudge1: string; nudge2?: string }> = {};
    for (const [name, phone] of [['ann', '+13125550701'], ['bob', '+13125550702'], ['cid', '+13125550703']] as const) {
      const contact = await kit.contact(phone, { firstName: name, timeZone: 'America/Chicago' });
      await kit.optIn(contact.id);
      people[name] = { contact: contact.id, phone, nudge1: '' };
    }
    await kit.emit(Object.entries(people).map(([name, c]) => ({ type: 'checkout.updated' as const, dedupeKey: `chk-${name}`, contact: { phone: c.phone }, correlation: { checkoutToken: `tok-${name}` }, data: { checkoutUrl: `https://acme.test/c/${name}` } })));
    await kit.runUntil('2026-03-10T18:00:00Z');
    for (const c of Object.values(people)) c.nudge1 = (await kit.outbound(c.contact))[0].id;
    const status = (messageId: string, s: 'sent' | 'delivered' | 'undelivered', errorCode?: string) =>
      hub.get(StatusCallbackService).report(workspaceId, { provider: 'http', messageId, status: s, errorCode: errorCode ?? null });

    hub.manualClock.set('2026-03-10T18:02:00Z');
    await status(people.ann.nudge1, 'delivered');
    await status(people.ann.nudge1, 'delivered');
    await status(people.ann.nudge1, 'sent'); // late, ignored
    await status(people.cid.nudge1, 'delivered');
    await status(people.bob.nudge1, 'undelivered', '30007');
    await status(people.bob.nudge1, 'undelivered', '30007');
    hub.manualClock.set('2026-03-10T18:10:00Z');
    const annLink = SHORT.exec((await kit.outbound(people.ann.contact))[0].body)![1];
    await kit.http().get(`/l/${annLink}`).expect(302);
    await kit.http().get(`/l/${annLink}`).expect(302);
    hub.manualClock.set('2026-03-10T18:30:00Z');
    await hub.get(InboundSmsService).receive(workspaceId, { provider: 'http', providerMessageId: 'in-cid-1', from: people.cid.phone, to: null, body: 'Is the blue one still in stock?' });
    hub.manualClock.set('2026-03-10T19:00:00Z');
    await hub.get(InboundSmsService).receive(workspaceId, { provider: 'http', providerMessageId: 'in-bob-1', from: people.bob.phone, to: null, body: 'STOP' });
    await hub.get(FactWriter).flush();

    await kit.runUntil('2026-03-11T18:00:00Z');
    people.ann.nudge2 = (await kit.outbound(people.ann.contact))[1].id;
    people.cid.nudge2 = (await kit.outbound(people.cid.contact))[1].id;
    hub.manualClock.set('2026-03-11T18:05:00Z');
    await status(people.cid.nudge2, 'delivered');
    await hub.get(FactWriter).flush();

    // Ann orders 40 h after her click (inside 5 days), Cid 16 h after a delivery (inside 1 day),
    // Dee was never texted, one webhook is replayed, Ann orders again 10 days later (outside).
    const order = (key: string, phone: string, totalPrice: string) => ({ type: 'order.created' as const, dedupeKey: key, contact: { phone }, correlation: { orderId: key }, data: { totalPrice } });
    hub.manualClock.set('2026-03-12T10:05:00Z');
    await kit.emit([order('1001', people.ann.phone, '120.50'), order('1002', people.cid.phone, '40.00'), order('1003', '+13125550704', '10.00')]);
    await kit.emit([order('1001', people.ann.phone, '120.50')]);
    hub.manualClock.set('2026-03-20T10:00:00Z');
    await kit.emit([order('1004', people.ann.phone, '99.00')]);
    await hub.get(FactWriter).flush();
  }, 120_000);
  afterAll(async () => h?.close());

  it('a business owner opens the flow, its report, picks a period and reads the numbers the API and the CSV give', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/flows');
    await page.locator(`a[href="/flows/${flowId}"]`).first().click();
    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.waitForURL(`**/flows/${flowId}/report`);
    await page.getByLabel('From', { exact: true }).fill('2026-03-09');
    await page.getByLabel('To', { exact: true }).fill('2026-03-21');
    await page.waitForURL(/from=2026-03-09&to=2026-03-21/);
    await page.getByRole('table', { name: 'Summary' }).getByRole('cell', { name: '$160.50' }).waitFor();

    const summary = await summaryOf(page);
    // The known truth of the script, read off the screen.
    expect(summary).toEqual({
      Sent: '5', Delivered: '3', 'Delivery rate': '60.0 %', 'Undelivered or failed': '1', Blocked: '1',
      Clicks: '2', 'Messages clicked': '1', 'Click rate': '33.3 %', Replies: '1', 'Opt-outs': '1', 'Opt-out rate': '33.3 %',
      Conversions: '2', Revenue: '$160.50', Segments: '5', Cost: '$0.00',
    });
    // The same numbers from the API and from the CSV link on the page.
    const api = (await owner.send('get', `/v1/reports/breakdown?flowId=${flowId}&from=2026-03-09&to=2026-03-21`).expect(200)).body;
    expect(api.rows).toHaveLength(1);
    expect(asShown(api.rows[0])).toEqual(summary);
    const csvHref = await page.getByRole('link', { name: 'Totals CSV' }).getAttribute('href');
    const csv = await page.request.get(csvHref!);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(asShown(csvRow(await csv.text()))).toEqual(summary);

    // The key numbers on top, the opt-out warning, the funnel, the days and the top links.
    const stats = page.getByLabel('Key numbers');
    for (const figure of ['60.0 %', '33.3 %', '$160.50']) await stats.getByText(figure).first().waitFor();
    await page.getByText("above this workspace's warning threshold of 2.0 %").waitFor();
    const funnel = await page.getByRole('table', { name: 'Funnel' }).locator('tbody tr').all();
    expect(await Promise.all(funnel.map((r) => r.getByRole('cell').allInnerTexts()))).toEqual([
      ['Entered', '3'],
      ['Sent', '5'],
      ['Delivered', '3'],
      ['Clicked', '1'],
      ['Converted', '2'],
    ]);
    const days = page.getByRole('table', { name: 'Numbers per day' });
    expect(await days.getByRole('row').filter({ hasText: '2026-03-10' }).getByRole('cell').allInnerTexts()).toEqual(['2026-03-10', '3', '2', '66.7 %', '1', '50.0 %', '1', '50.0 %', '1', '$120.50']);
    expect(await days.getByRole('row').filter({ hasText: '2026-03-11' }).getByRole('cell').allInnerTexts()).toEqual(['2026-03-11', '2', '1', '50.0 %', '0', '0.0 %', '0', '0.0 %', '1', '$40.00']);
    expect(await page.getByRole('table', { name: 'Top links' }).getByRole('row').filter({ hasText: 'https://acme.test/c/ann' }).getByRole('cell').allInnerTexts()).toEqual(['https://acme.test/c/ann', '2', '1']);
    await page.getByRole('figure', { name: 'Sent, delivered, clicks, opt-outs and conversions per day' }).locator('svg').first().waitFor();
    await page.getByLabel('To', { exact: true }).blur();
    await screenshot(page, 'flow-report', { top: true });
    await page.getByRole('heading', { name: 'Funnel' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-report-funnel');

    // Another period: only the second day's sends (Cid's order, Ann's nudge 2 and Bob's blocked one).
    await page.getByLabel('From', { exact: true }).fill('2026-03-11');
    await page.getByLabel('To', { exact: true }).fill('2026-03-11');
    await page.getByRole('table', { name: 'Summary' }).getByRole('cell', { name: '$40.00' }).waitFor();
    const second = await summaryOf(page);
    expect(second).toMatchObject({ Sent: '2', Delivered: '1', 'Delivery rate': '50.0 %', Blocked: '1', 'Click rate': '0.0 %', 'Opt-out rate': '0.0 %', Conversions: '1', Revenue: '$40.00' });
    const api11 = (await owner.send('get', `/v1/reports/breakdown?flowId=${flowId}&from=2026-03-11&to=2026-03-11`).expect(200)).body;
    expect(asShown(api11.rows[0])).toEqual(second);
    await context.close();

    // At phone width the same link shows the same numbers (tables become labelled rows).
    const phone = await h.newPage({ width: 390, height: 844 });
    await signIn(phone.page, OWNER.email, OWNER.password);
    await phone.page.goto(`/flows/${flowId}/report?from=2026-03-09&to=2026-03-21`);
    await phone.page.getByRole('table', { name: 'Summary' }).getByRole('cell', { name: '$160.50' }).waitFor();
    expect(await summaryOf(phone.page)).toEqual(summary);
    await screenshot(phone.page, 'flow-report-phone', { top: true });
    await phone.context.close();
  }, 90_000);

  it('report settings: a shorter click window recomputes history with progress, and the flow report follows', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/reports');
    await page.getByRole('link', { name: 'Report settings' }).click();
    const clickWindow = page.getByLabel('Click window (days)');
    await clickWindow.waitFor();
    expect(await clickWindow.inputValue()).toBe('5');
    expect(await page.getByLabel('Delivery window (days)').inputValue()).toBe('1');
    expect(await page.getByLabel('Warn above this opt-out rate (%)').inputValue()).toBe('2');

    // Bad input is named, nothing is saved.
    await clickWindow.fill('soon');
    await page.getByRole('button', { name: 'Save report settings' }).click();
    await page.getByText('Enter a number of days from 0 to 90').waitFor();

    await clickWindow.fill('1');
    await page.getByRole('button', { name: 'Add a provider price' }).click();
    await page.getByLabel('Provider 1', { exact: true }).fill('console');
    await page.getByLabel('Price per segment 1', { exact: true }).fill('0.01');
    const saved = page.waitForResponse((r) => r.url().endsWith('/v1/reports/settings') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save report settings' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('History is being recomputed').waitFor();
    // The progress follows the worker to the end: every message re-derived.
    await page.getByLabel('Recompute progress').getByText('completed').waitFor({ timeout: 30_000 });
    const progress = (await owner.send('get', '/v1/reports/recompute').expect(200)).body;
    expect(progress).toMatchObject({ status: 'completed', error: null });
    await page.getByRole('progressbar', { name: `${progress.done} of ${progress.total} messages` }).waitFor();
    expect((await page.getByRole('progressbar').getAttribute('aria-valuenow'))).toBe('100');
    await screenshot(page, 'report-settings', { top: true });
    await page.getByRole('heading', { name: 'Recompute history' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'report-settings-recompute');
    expect((await owner.send('get', '/v1/reports/settings').expect(200)).body).toMatchObject({ clickWindowMinutes: 1440, deliveryWindowMinutes: 1440, segmentPrices: { console: 0.01 } });

    // Ann's order came 40 h after her click: outside one day now, so the flow keeps Cid's order only.
    await page.goto(`/flows/${flowId}/report?from=2026-03-09&to=2026-03-21`);
    await page.getByRole('table', { name: 'Summary' }).getByRole('cell', { name: '$40.00' }).waitFor();
    const summary = await summaryOf(page);
    expect(summary).toMatchObject({ Conversions: '1', Revenue: '$40.00', Sent: '5', Cost: '$0.05' });
    const api = (await owner.send('get', `/v1/reports/breakdown?flowId=${flowId}&from=2026-03-09&to=2026-03-21`).expect(200)).body;
    expect(asShown(api.rows[0])).toEqual(summary);
    await context.close();
  }, 90_000);

  it('a campaign’s report: from the campaign list, the numbers of its day as the API and the CSV give them', async () => {
    const hub = h.hub;
    const workspaceId = kit.ws.id;
    const auth = await kit.auth('marketing');
    hub.manualClock.set('2026-03-25T17:00:00Z'); // noon in Chicago: inside every sending window
    const contacts = [];
    for (const phone of ['+13125550711', '+13125550712', '+13125550713', '+13125550714']) {
      const contact = await kit.contact(phone, { timeZone: 'America/Chicago' });
      await kit.optIn(contact.id, ['marketing']);
      contacts.push(contact);
    }
    const group = (await kit.http().post('/v1/groups').set('Authorization', auth).send({ name: 'Spring list' }).expect(201)).body;
    await kit.http().post(`/v1/groups/${group.id}/members`).set('Authorization', auth).send({ contactIds: contacts.map((c) => c.id) }).expect(200);
    const body = "{{ workspace.brandName }}: spring sale {{ 'https://acme.test/spring' | link }} Reply STOP to opt out.";
    const campaign = (await kit.http().post('/v1/campaigns').set('Authorization', auth).send({ name: 'Spring sale', audience: { groupId: group.id }, content: { kind: 'message', messageType: 'marketing', body } }).expect(201)).body;
    await kit.http().post(`/v1/campaigns/${campaign.id}/schedule`).set('Authorization', auth).send({ schedule: { mode: 'now' } }).expect(200);
    await hub.get(CampaignRunner).advance(campaign.id);
    const sent = () => hub.dataSource.query(`SELECT id, body, contact_id FROM message WHERE workspace_id = $1 AND origin->>'campaignId' = $2 AND status = 'sent' ORDER BY id`, [workspaceId, campaign.id]);
    await waitFor('the campaign’s 4 texts to be sent', async () => (await sent()).length === 4);
    await settle(hub);
    const messages: { id: string; body: string; contact_id: string }[] = await sent();
    const report = (messageId: string, status: 'delivered' | 'undelivered') =>
      hub.get(StatusCallbackService).report(workspaceId, { provider: 'http', messageId, status, errorCode: status === 'undelivered' ? '30003' : null });
    hub.manualClock.set('2026-03-25T17:05:00Z');
    for (const m of messages.slice(0, 3)) await report(m.id, 'delivered');
    await report(messages[3].id, 'undelivered');
    await kit.http().get(`/l/${SHORT.exec(messages[0].body)![1]}`).expect(302);
    await hub.get(FactWriter).flush();
    // The clicker orders an hour later (inside every click window).
    hub.manualClock.set('2026-03-25T18:10:00Z');
    const clicker = contacts.find((c) => c.id === messages[0].contact_id)!;
    await kit.emit([{ type: 'order.created', dedupeKey: 'order-2001', contact: { phone: clicker.phone }, correlation: { orderId: '2001' }, data: { totalPrice: '25.00' } }]);
    await hub.get(FactWriter).flush();

    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/campaigns');
    await page.getByRole('link', { name: 'Spring sale: report' }).click();
    await page.waitForURL(`**/campaigns/${campaign.id}/report`);
    await page.getByLabel('From', { exact: true }).fill('2026-03-25');
    await page.getByLabel('To', { exact: true }).fill('2026-03-25');
    await page.getByRole('table', { name: 'Summary' }).getByRole('cell', { name: '$25.00' }).waitFor();
    const summary = await summaryOf(page);
    expect(summary).toMatchObject({ Sent: '4', Delivered: '3', 'Delivery rate': '75.0 %', 'Undelivered or failed': '1', Clicks: '1', 'Messages clicked': '1', 'Click rate': '33.3 %', 'Opt-outs': '0', 'Opt-out rate': '0.0 %', Conversions: '1', Revenue: '$25.00' });
    const api = (await owner.send('get', `/v1/reports/breakdown?campaignId=${campaign.id}&from=2026-03-25&to=2026-03-25`).expect(200)).body;
    expect(asShown(api.rows[0])).toEqual(summary);
    const csv = await page.request.get((await page.getByRole('link', { name: 'Totals CSV' }).getAttribute('href'))!);
    expect(asShown(csvRow(await csv.text()))).toEqual(summary);
    const funnel = await page.getByRole('table', { name: 'Funnel' }).locator('tbody tr').all();
    expect(await Promise.all(funnel.map((r) => r.getByRole('cell').allInnerTexts()))).toEqual([['Sent', '4'], ['Delivered', '3'], ['Clicked', '1'], ['Converted', '1']]);
    expect(await page.getByRole('table', { name: 'Top links' }).getByRole('row').filter({ hasText: 'https://acme.test/spring' }).getByRole('cell').allInnerTexts()).toEqual(['https://acme.test/spring', '1', '1']);
    await page.getByLabel('To', { exact: true }).blur();
    await screenshot(page, 'campaign-report', { top: true });
    await context.close();
  }, 90_000);

  it('a support person reads the settings but cannot change them', async () => {
    const email = await h.addMember(owner, 'support');
    const { context, page } = await h.newPage();
    await signIn(page, email, 'a long enough password');
    await page.goto('/reports/settings');
    await page.getByText('Your role may read these settings; an admin changes them.').waitFor();
    expect(await page.getByLabel('Click window (days)').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save report settings' }).count()).toBe(0);
    await context.close();
  }, 90_000);
});
