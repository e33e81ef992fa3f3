import { LinkDomainProbe } from '@optline/messaging';
import { ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

// Several pages and vendor round trips each: more than the default 30 s on a shared, loaded machine.
jest.setTimeout(120_000);

describeInBrowser('console: a branded link domain in Settings (headless Chromium)', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    await h.setUpOwner();
  }, 90_000);
  afterAll(() => h?.close());

  it('the admin sets the domain, sees the CNAME to add, and checks it: first it does not reach the hub, then it is verified', async () => {
    const probe = h.hub.get(LinkDomainProbe);
    // "DNS" not set up yet: the name leads nowhere.
    probe.connectTo({ protocol: 'http:', host: '127.0.0.1', port: 9 });
    const { context, page } = await h.newPage({ width: 1200, height: 1600 });
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/settings');
    const card = page.locator('section.card').filter({ has: page.getByRole('heading', { name: 'Link domain' }) });
    await card.getByLabel('Your link domain').fill('https://bad/path');
    await card.getByRole('button', { name: 'Save domain' }).click();
    await card.getByText('domain must be a host name', { exact: false }).waitFor();

    await card.getByLabel('Your link domain').fill('go.acme-alerts.example');
    await card.getByRole('button', { name: 'Save domain' }).click();
    await card.getByText('Not verified').waitFor();
    await card.getByText('CNAME').waitFor();
    await card.getByText('https://go.acme-alerts.example/.well-known/optline-link-domain').waitFor();

    await card.getByRole('button', { name: 'Check the domain' }).click();
    await card.getByText(/Last check: .*could not be reached/).waitFor();

    // The record is in place: the name reaches this hub.
    probe.connectTo({ protocol: 'http:', host: '127.0.0.1', port: Number(new URL(h.baseUrl).port) });
    await card.getByRole('button', { name: 'Check the domain' }).click();
    await card.getByText('Verified', { exact: true }).waitFor();
    await card.getByText('https://go.acme-alerts.example', { exact: true }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-link-domain');
    await context.close();
  });
});
