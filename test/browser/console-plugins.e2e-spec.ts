import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

describeInBrowser('console: plugins (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
  }, 60_000);
  afterAll(async () => h?.close());

  it('configures the web-forms plugin from its schema, enables it, and shows its form’s submission in the event log', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Plugins' }).click();
    await page.getByRole('link', { name: 'Web forms' }).click();
    await page.getByRole('button', { name: 'Add form' }).click();
    await page.getByLabel('Key', { exact: true }).fill('vip');
    await page.getByLabel('Title', { exact: true }).fill('Join Acme VIP texts');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Name', { exact: true }).fill('firstName');
    await page.getByLabel('Label', { exact: true }).fill('First name');
    await page.getByLabel('Consent types', { exact: true }).fill('marketing');
    await page.getByLabel('Terms url', { exact: true }).fill('https://acme.test/terms');
    await page.getByLabel('Privacy url', { exact: true }).fill('https://acme.test/privacy');
    await page.getByLabel('Success text', { exact: true }).fill('You are in! Reply YES to confirm.');
    await page.getByLabel('Allowed origins', { exact: true }).fill('https://acme.test');
    // A secret is write-only: typed once, never shown again.
    await page.getByLabel('Signing secret (optional)').fill('whsec-console-test-0123456789');
    await page.getByRole('button', { name: 'Install plugin' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await page.getByLabel('Signing secret (optional)').inputValue()).toBe('');
    await page.getByText('A value is set. Leave blank to keep it').waitFor();

    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    // Web forms take no webhooks: people submit its hosted forms, listed with their links.
    await page.getByText('This plugin receives no webhooks').waitFor();
    const formLink = page.getByRole('link', { name: 'open the form' });
    const formPath = new URL((await formLink.getAttribute('href'))!).pathname;

    // Someone signs up on the hosted form.
    const visitor = await h.newPage({ width: 390, height: 844 });
    await visitor.page.goto(formPath);
    await visitor.page.getByLabel('Mobile phone').fill('(415) 555-0199');
    await visitor.page.getByLabel('First name').fill('Grace');
    await visitor.page.getByLabel('Yes, text me').check();
    await visitor.page.getByRole('button', { name: 'Sign up' }).click();
    await visitor.page.getByText('You are in! Reply YES to confirm.').waitFor();
    await visitor.context.close();

    // The event log polls; the submission shows with its outcome.
    const row = page.getByRole('row').filter({ hasText: 'Form submitted' });
    await row.getByText('processed').waitFor({ timeout: 20_000 });
    await row.getByRole('link', { name: /new contact; pending for marketing/ }).waitFor();
    await screenshot(page, 'plugin-web-forms', { top: true });

    // Replay it: the hub re-dispatches the stored event.
    const replayed = page.waitForResponse((r) => /\/v1\/events\/[0-9a-f-]+\/replay$/.test(r.url()));
    await row.getByRole('button', { name: /Replay event/ }).click();
    expect((await replayed).ok()).toBe(true);
    await row.getByText('replayed 1×').waitFor({ timeout: 20_000 });
    const events = await owner.send('get', '/v1/events?pluginId=web-forms').expect(200);
    expect(events.body.data[0]).toMatchObject({ type: 'form.submitted', replayCount: 1 });

    // Home lists the plugin and its health.
    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByRole('link', { name: 'Web forms' }).waitFor();
    await page.getByText('Enabled').waitFor();
    await screenshot(page, 'home');

    // Uninstalling asks once more; config and secrets go, the stored event stays.
    await page.goto('/plugins/web-forms');
    await page.getByRole('button', { name: 'Uninstall Web forms' }).click();
    await page.getByRole('button', { name: 'Yes, uninstall' }).click();
    await page.getByRole('button', { name: 'Install plugin' }).waitFor();
    expect((await owner.send('get', '/v1/plugins/web-forms').expect(200)).body.installation).toBeNull();
    expect((await owner.send('get', '/v1/events?pluginId=web-forms').expect(200)).body.data).toHaveLength(1);
    await context.close();
  });
});
