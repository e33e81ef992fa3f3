import { PreferenceLinks } from '@optline/plugin-sdk';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { eventually } from '../utils/wait';

/** Debian's chromium package; the CI script installs it. Never downloaded by the tests. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(`Skipping the browser tests: ${CHROMIUM} is missing (apt-get install -y chromium).`);
}
const describeInBrowser = available ? describe : describe.skip;

describeInBrowser('web forms in a real browser (headless Chromium)', () => {
  let hub: TestHub;
  let baseUrl: string;
  let browser: BrowserContext;
  let profileDir: string;
  let ws: TestWorkspace;
  let formId: string;

  beforeAll(async () => {
    hub = await TestHub.start();
    await hub.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(hub.app.getHttpServer().address() as AddressInfo).port}`;
    profileDir = mkdtempSync(join(tmpdir(), 'optline-chromium-'));
    // A persistent context is how Playwright takes a fresh --user-data-dir.
    browser = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });

    ws = await hub.createWorkspace({ brandName: 'Acme Alerts' });
    const auth = await ws.auth();
    await hub
      .http()
      .put('/v1/plugins/web-forms')
      .set('Authorization', auth)
      .send({
        config: {
          forms: [
            {
              key: 'vip',
              title: 'Join Acme VIP texts',
              fields: [{ name: 'firstName', label: 'First name', required: true }],
              consentTypes: ['marketing', 'transactional'],
              termsUrl: 'https://acme.test/terms',
              privacyUrl: 'https://acme.test/privacy',
              successText: 'You are almost in! Reply YES to the text we just sent.',
              allowedOrigins: ['https://acme.test'],
            },
          ],
        },
      })
      .expect(200);
    await hub.http().post('/v1/plugins/web-forms/enable').set('Authorization', auth).expect(200);
    formId = (await hub.http().get('/v1/forms').set('Authorization', auth).expect(200)).body.data[0].formId;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await hub?.close();
  });

  it('fills the hosted form, ticks consent, submits, and sees the success text', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/f/${formId}`);
    const consent = page.getByLabel('Yes, text me');
    expect(await consent.isChecked()).toBe(false);
    await page.getByLabel('Mobile phone').fill('(415) 555-0177');
    await page.getByLabel('First name').fill('Grace');
    await consent.check();
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('You are almost in! Reply YES to the text we just sent.');

    const entries = await eventually(async () => {
      const rows = await hub.dataSource.query(
        `SELECT message_type, state, source, evidence FROM consent_event WHERE workspace_id = $1 AND kind = 'consent' ORDER BY seq`,
        [ws.id],
      );
      return rows.length === 2 ? rows : undefined;
    }, 'the pending opt-ins');
    expect(entries.map((e: { message_type: string; state: string }) => [e.message_type, e.state])).toEqual([
      ['marketing', 'pending'],
      ['transactional', 'pending'],
    ]);
    expect(entries[0].evidence).toMatchObject({ checkbox: true, submittedVia: 'hosted_page', userAgent: expect.stringContaining('Chrome'), fields: { firstName: 'Grace' } });
    await page.close();
  });

  it('changes a preference on the preference page', async () => {
    await hub.http().post(`/v1/forms/${formId}/submissions`).send({ phone: '+14155550178', consent: true, fields: { firstName: 'Lin' } }).expect(202);
    const contactId = await eventually(async () => {
      const rows = await hub.dataSource.query(
        `SELECT contact_id FROM consent_event e JOIN contact c ON c.id = e.contact_id WHERE e.workspace_id = $1 AND c.phone = '+14155550178'`,
        [ws.id],
      );
      return rows.length === 2 ? (rows[0].contact_id as string) : undefined;
    }, 'the contact and its pending opt-ins');
    const path = new URL(hub.get(PreferenceLinks).urlFor(ws.id, contactId)).pathname;

    const page = await browser.newPage();
    await page.goto(`${baseUrl}${path}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your text messages from Acme Alerts');
    const offers = page.getByLabel('Offers and news');
    expect(await offers.isChecked()).toBe(true);
    await offers.uncheck();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your choices are saved.');
    expect(await page.getByLabel('Offers and news').isChecked()).toBe(false);
    expect(await page.getByLabel('Order and account updates').isChecked()).toBe(true);

    const last = await hub.dataSource.query(
      `SELECT message_type, state, source FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 ORDER BY seq DESC LIMIT 1`,
      [ws.id, contactId],
    );
    expect(last).toEqual([{ message_type: 'marketing', state: 'opted_out', source: 'web_form' }]);
    await page.close();
  });
});
