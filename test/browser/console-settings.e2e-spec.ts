import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, signIn } from './console-harness';

describeInBrowser('console: settings (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
  }, 60_000);
  afterAll(async () => h?.close());

  it('changes brand, quiet hours and the frequency cap, and shows a field the hub refused', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Brand name').fill('Acme Deals');
    await page.getByLabel('Support email').fill('help@acme.test');
    await page.getByLabel('Sending starts').fill('09:30');
    await page.getByLabel('Sending ends').fill('20:00');
    await page.getByLabel('At most (texts)').fill('2');
    const saved = page.waitForResponse((r) => r.url().endsWith('/v1/workspace') && r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('Saved.').waitFor();
    const workspace = await owner.send('get', '/v1/workspace').expect(200);
    expect(workspace.body).toMatchObject({ brandName: 'Acme Deals', supportEmail: 'help@acme.test', quietHours: { start: '09:30', end: '20:00' }, frequencyCap: { count: 2, windowHours: 24 } });

    // A time zone the hub does not know comes back on its field.
    await page.getByLabel('Workspace time zone').fill('Mars/Olympus_Mons');
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/workspace') && r.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect((await refused).status()).toBeGreaterThanOrEqual(400);
    await page.locator('.field--invalid').getByLabel('Workspace time zone').waitFor();
    await context.close();
  });

  it('creates an API key that is shown once, and revokes it', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/settings');
    await page.getByLabel('Key name').fill('Order system');
    await page.getByLabel('Role', { exact: true }).selectOption('operations');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel(/New key “Order system”/).inputValue();
    expect(key).toMatch(/^olk_/);
    await h.hub.http().get('/v1/plugins').set('Authorization', `Bearer ${key}`).expect(200);

    const row = page.getByRole('row').filter({ hasText: 'Order system' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revoke Order system' }).click();
    await row.getByText('revoked').waitFor();
    await h.hub.http().get('/v1/plugins').set('Authorization', `Bearer ${key}`).expect(401);
    await context.close();
  });

  it('ends another session from the sessions list; that browser is sent to sign-in on its next call', async () => {
    const laptop = await h.newPage();
    const phone = await h.newPage({ width: 390, height: 844 });
    await signIn(laptop.page, OWNER.email, OWNER.password);
    await signIn(phone.page, OWNER.email, OWNER.password);

    await laptop.page.goto('/settings');
    const sessions = laptop.page.getByRole('table', { name: 'Sessions' });
    await sessions.getByText('this one').waitFor();
    const others = sessions.getByRole('button', { name: 'Sign out' });
    const count = await others.count();
    expect(count).toBeGreaterThanOrEqual(1);
    // End every other session (the phone's among them).
    for (let i = 0; i < count; i++) {
      const ended = laptop.page.waitForResponse((r) => /\/v1\/auth\/sessions\/[^/]+$/.test(r.url()) && r.request().method() === 'DELETE');
      await others.first().click();
      expect((await ended).status()).toBe(204);
    }

    await phone.page.getByRole('button', { name: 'Menu' }).click();
    await phone.page.getByRole('link', { name: 'Contacts' }).click();
    await phone.page.waitForURL('**/sign-in?next=*');
    await laptop.context.close();
    await phone.context.close();
  });
});
