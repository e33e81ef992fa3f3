import { Clock } from '@optline/core';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { TwilioFake, twilioFixtureForm, twilioSignature } from '../fakes/twilio-fake';
import { waitFor } from '../utils/wait';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, PASSWORD, screenshot, signIn } from './console-harness';

const ACCOUNT_SID = 'AC4f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c';
const AUTH_TOKEN = '5a1b2c3d4e5f60718293a4b5c6d7e8f9';
const OUR_NUMBER = '+15005550006';
const PUBLIC_URL = 'http://127.0.0.1';
const SAM = '+14155550123';
const KIM = '+14155550188';

/** Real time, moved to the next 17:00 UTC (daytime in the workspace), so quiet hours never defer a text. */
class DaytimeClock extends Clock {
  private readonly offset: number;
  constructor() {
    super();
    const target = new Date();
    target.setUTCHours(17, 0, 0, 0);
    if (target.getTime() < Date.now()) target.setUTCDate(target.getUTCDate() + 1);
    this.offset = target.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

const thread = (page: Page) => page.getByRole('region', { name: /^Conversation with / });

describeInBrowser('console: the conversations inbox, an agent and a client texting (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let twilio: TwilioFake;
  let sid = 0;
  const received = (phone: string) => twilio.sendsTo(phone).map((s) => s.params.Body);

  /** The client texts the workspace: Twilio's inbound webhook, signed as Twilio signs it. */
  async function clientTexts(from: string, body: string): Promise<void> {
    const workspaceId = (await owner.send('get', '/v1/workspace').expect(200)).body.id as string;
    const path = `/hooks/sms/twilio/${workspaceId}`;
    const params: Record<string, string> = { ...twilioFixtureForm('inbound-stop.form'), From: from, To: OUR_NUMBER, Body: body, MessageSid: `SM${String(++sid).padStart(32, '0')}` };
    delete params.OptOutType;
    await request(h.hub.app.getHttpServer()).post(path).type('form').set('X-Twilio-Signature', twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}`, params)).send(params).expect((res) => {
      if (res.status >= 300) throw new Error(`inbound webhook answered ${res.status}`);
    });
  }

  async function invite(email: string, role: string, displayName: string): Promise<void> {
    const created = await owner.send('post', '/v1/invitations', { email, role }).expect(201);
    const token = new URL(created.body.url).pathname.split('/').pop();
    await request(h.hub.app.getHttpServer()).post(`/v1/invitations/accept/${token}`).send({ displayName, password: PASSWORD }).expect(201);
  }

  beforeAll(async () => {
    twilio = await TwilioFake.start(ACCOUNT_SID, AUTH_TOKEN);
    h = await ConsoleHarness.start({ clock: new DaytimeClock(), env: { PUBLIC_URL } });
    owner = await h.setUpOwner();
    await owner.send('put', '/v1/sms-provider', { kind: 'twilio', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: OUR_NUMBER, apiBaseUrl: twilio.url }).expect(200);
    await invite('dana@acme.test', 'support', 'Dana Reyes');
    await invite('ops@acme.test', 'operations', 'Otto Ops');
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await twilio?.close();
  });

  it('consent mode: the first text is held and the client asked; YES releases it; STOP closes the thread — live on both sides', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'dana@acme.test', PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await page.getByText('Clients see you as').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel("Client's phone number").fill('(415) 555-0123');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('heading', { name: SAM }).waitFor();
    await thread(page).getByText('Not opted in', { exact: true }).waitFor();

    // The composer counts segments as one types: GSM-7, then UCS-2 once a curly quote appears.
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('a'.repeat(161));
    await page.getByText('161 characters · 2 segments · GSM-7').waitFor();
    await composer.fill('Your glasses are “ready”');
    await page.getByText('24 UCS-2 units · 1 segment · UCS-2 (because of “ ”)').waitFor();
    await composer.fill('Hi Sam, your glasses are ready for pick-up.');
    await page.getByRole('button', { name: 'Send' }).click();

    const log = page.getByRole('log', { name: 'Messages' });
    const first = log.getByRole('listitem').filter({ hasText: 'Hi Sam, your glasses are ready for pick-up.' });
    await first.getByText('held until opt-in').waitFor();
    await first.getByText('Will be sent when the client replies YES').waitFor();
    await log.getByText(/Your contact has been sent a request to Opt-in/).waitFor();
    await waitFor('the opt-in request on the client’s phone', () => received(SAM).length === 1);
    expect(received(SAM)[0]).toContain('Dana Reyes is trying to reach you');
    expect(received(SAM)).not.toContain('Hi Sam, your glasses are ready for pick-up.');
    await thread(page).getByText('Waiting for opt-in', { exact: true }).waitFor();

    // The client replies YES: the agent's screen changes without a reload.
    await clientTexts(SAM, 'YES');
    await log.getByText(/Your Contact has opted in/).waitFor();
    await first.getByText(/^(sent|delivered)$/).waitFor();
    await thread(page).getByText('Opted in', { exact: true }).waitFor();
    await thread(page).getByText(/Opted in via SMS keyword/i).waitFor();
    await waitFor('the confirmation and the held text on the client’s phone', () => received(SAM).length >= 3);
    expect(received(SAM)[1]).toMatch(/Opt in confirmed/);
    expect(received(SAM)[2]).toBe('Hi Sam, your glasses are ready for pick-up.');

    // A text from the client arrives live; the list shows it.
    await clientTexts(SAM, 'Great, I will come by at 5.');
    await log.getByText('Great, I will come by at 5.').waitFor();
    await page.getByRole('list', { name: 'Conversations' }).getByText('Great, I will come by at 5.').waitFor();
    // The thread is open, so the text is read: the list's unread count goes back to none.
    await waitFor('the read to reach the hub', async () => (await owner.send('get', '/v1/conversations').expect(200)).body.data[0].unreadCount === 0);
    await page.getByRole('list', { name: 'Conversations' }).getByLabel(/unread/).waitFor({ state: 'detached' });
    await screenshot(page, 'inbox');

    // Consent history in one click, from the conversation.
    await page.getByRole('button', { name: 'Consent history' }).click();
    const drawer = page.getByRole('complementary', { name: 'Consent history' });
    await drawer.getByRole('list', { name: 'Consent ledger' }).getByText('via SMS keyword').first().waitFor();
    await drawer.getByRole('link', { name: 'Open contact page' }).waitFor();
    await screenshot(page, 'inbox-consent-history');
    await drawer.getByRole('button', { name: 'Close' }).click();

    // STOP: the seed's notice to the agent, and the composer says why it is closed.
    await clientTexts(SAM, 'STOP');
    await log.getByText(/Your contact has opted out\. No further messages can be sent/).waitFor();
    await page.getByText(/opted out \(STOP\)\. No texts can be sent/).waitFor();
    expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
    await waitFor('the STOP confirmation', () => received(SAM).some((b) => /Opt out confirmed|unsubscribed/i.test(b)));
    await screenshot(page, 'inbox-opted-out');
    await context.close();
  });

  it('at phone width the list and the thread are two views', async () => {
    const { context, page } = await h.newPage({ width: 390, height: 844 });
    await signIn(page, 'dana@acme.test', PASSWORD);
    await page.goto('/inbox');
    const list = page.getByRole('list', { name: 'Conversations' });
    await list.getByText(SAM).waitFor();
    await screenshot(page, 'inbox-phone');
    await list.getByRole('link').first().click();
    await page.getByRole('link', { name: '← Conversations' }).waitFor();
    expect(await list.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'inbox-thread-phone');
    await page.getByRole('link', { name: '← Conversations' }).click();
    await list.waitFor();
    await context.close();
  });

  it('disclaimer mode, chosen by an admin in the inbox: the disclaimer goes once, texts go at once; filters and search find the thread', async () => {
    const admin = await h.newPage();
    await signIn(admin.page, OWNER.email, OWNER.password);
    await admin.page.goto('/inbox');
    const saved = admin.page.waitForResponse((r) => r.url().endsWith('/v1/workspace') && r.request().method() === 'PATCH');
    await admin.page.getByLabel('Opt-in mode').selectOption('disclaimer');
    expect((await saved).status()).toBe(200);

    const { context, page } = await h.newPage();
    await signIn(page, 'dana@acme.test', PASSWORD);
    await page.goto('/inbox');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel("Client's phone number").fill(KIM);
    await page.getByRole('button', { name: 'Open' }).click();
    await thread(page).getByText('Disclaimer mode', { exact: true }).waitFor();
    for (const text of ['Hi Kim, this is Dana from Acme.', 'Your order shipped today.']) {
      await page.getByRole('textbox', { name: 'Message' }).fill(text);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('log', { name: 'Messages' }).getByRole('listitem').filter({ hasText: text }).getByText(/^(sent|delivered)$/).waitFor();
    }
    await waitFor('three texts to Kim', () => received(KIM).length >= 3);
    expect(received(KIM)).toEqual([expect.stringContaining('You are receiving messages from Dana Reyes on behalf of Acme Alerts'), 'Hi Kim, this is Dana from Acme.', 'Your order shipped today.']);
    await page.getByRole('log', { name: 'Messages' }).getByText(/You are receiving messages from Dana Reyes/).waitFor();

    // The admin's list updated live: Kim's thread is there, Dana's; the client's reply raises its unread count.
    const adminList = admin.page.getByRole('list', { name: 'Conversations' });
    await adminList.getByText(KIM).waitFor();
    await clientTexts(KIM, 'Thanks!');
    await adminList.getByLabel('1 unread').waitFor();
    // Filters and search.
    await admin.page.getByRole('button', { name: 'Opted out' }).click();
    await adminList.getByText(SAM).waitFor();
    // The filtered list replaces the old one when its answer arrives: wait for Kim to leave it.
    await waitFor('the opted-out filter to leave Kim out', async () => (await adminList.getByText(KIM).count()) === 0);
    await admin.page.getByRole('button', { name: 'All' }).click();
    await admin.page.getByLabel('Search conversations').fill('555-0188');
    await waitFor('search to leave Kim alone', async () => (await adminList.getByRole('listitem').count()) === 1);
    await adminList.getByText(KIM).waitFor();
    await admin.page.getByRole('button', { name: 'Mine' }).click();
    await admin.page.getByText('No conversation matches').waitFor();

    // Reassign Kim's thread to the team inbox from the thread.
    await admin.page.getByRole('button', { name: 'All' }).click();
    await adminList.getByRole('link').filter({ hasText: KIM }).click();
    const assigned = admin.page.waitForResponse((r) => r.url().endsWith('/assign'));
    await admin.page.getByLabel('Assigned to').selectOption({ label: 'Team inbox' });
    expect((await assigned).status()).toBe(200);
    await adminList.getByRole('link').filter({ hasText: KIM }).getByText('Team inbox').waitFor();
    await admin.context.close();
    await context.close();
  });

  it('a role that may not read conversations is refused: no Inbox in the navigation, the page says so, the API answers 403', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'ops@acme.test', PASSWORD);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).count()).toBe(0);
    await page.goto('/inbox');
    await page.getByText('Your role (operations) may not open this page.').waitFor();
    // Forced from the browser, as someone with dev tools could: the hub refuses the list and the stream.
    const statuses = await page.evaluate(async () => {
      const list = await fetch('/v1/conversations');
      const stream = await fetch('/v1/conversations/stream', { headers: { Accept: 'text/event-stream' } });
      return [list.status, stream.status];
    });
    expect(statuses).toEqual([403, 403]);
    await context.close();
  });
});
