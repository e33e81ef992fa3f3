import { ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

describeInBrowser('console: first run and sign-in (headless Chromium)', () => {
  let h: ConsoleHarness;
  beforeAll(async () => (h = await ConsoleHarness.start()), 60_000);
  afterAll(async () => h?.close());

  it('sends a fresh install to /setup, refuses a wrong code on its field, creates the owner and signs them in', async () => {
    const { context, page } = await h.newPage();
    await page.goto('/contacts');
    await page.waitForURL('**/setup');
    await screenshot(page, 'setup');
    await page.getByLabel('Setup code').fill('WRONG-CODE-0000-0000');
    await page.getByLabel('Workspace name').fill('Acme');
    await page.getByLabel('Brand name').fill('Acme Alerts');
    await page.getByLabel('Your name').fill(OWNER.displayName);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    // The schema beside the form refuses a short password before asking the hub.
    await page.getByText('Use at least 12 characters.').waitFor();
    await page.getByLabel('Password').fill(OWNER.password);
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/setup') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    expect((await refused).status()).toBe(403);
    await page.getByText('That setup code is not the one in the hub’s log.').waitFor();

    await page.getByLabel('Setup code').fill((await h.setupCode())!);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: `Welcome, ${OWNER.displayName}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('sends everyone to sign-in once an owner exists; /setup is closed', async () => {
    const { context, page } = await h.newPage();
    await page.goto('/setup');
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password do not match an account.').waitFor();
    await screenshot(page, 'sign-in');
    await context.close();
  });

  it('signs in, returns to the page asked for, and signs out', async () => {
    const { context, page } = await h.newPage();
    await page.goto('/messages?status=blocked');
    await page.waitForURL('**/sign-in?next=*');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/messages?status=blocked');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    // The session is gone at the hub, not only in the page.
    await page.goto('/settings');
    await page.waitForURL('**/sign-in?next=*');
    await context.close();
  });

  it('keeps /v1 answering JSON (unknown routes 404 JSON) while client routes get the console', async () => {
    const api = await h.hub.http().get('/v1/no-such-thing').expect(404);
    expect(api.headers['content-type']).toContain('application/json');
    const page = await h.hub.http().get('/contacts/123').expect(200);
    expect(page.text).toContain('<div id="root">');
    await h.hub.http().get('/health').expect(200);
    await h.hub.http().get('/nope').expect(404);
  });

  it('signs a teammate in with the helper', async () => {
    const { context, page } = await h.newPage({ width: 390, height: 844 });
    await signIn(page, OWNER.email, OWNER.password);
    await context.close();
  });
});
