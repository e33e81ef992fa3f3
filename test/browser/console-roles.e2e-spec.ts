import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, PASSWORD, screenshot, signIn } from './console-harness';

/** Who sees which entry (docs/permissions.md); other entries may come and go without this test caring. */
const ENTRY_ROLES: Record<string, string[]> = {
  Home: ['admin', 'marketing', 'support', 'operations'],
  Contacts: ['admin', 'marketing', 'support', 'operations'],
  Messages: ['admin', 'marketing', 'support', 'operations'],
  Plugins: ['admin', 'marketing', 'operations'],
  Imports: ['admin', 'marketing'],
  'Suppression list': ['admin', 'marketing', 'support', 'operations'],
  Settings: ['admin', 'marketing', 'support', 'operations'],
};
const ROLES = ['admin', 'marketing', 'support', 'operations'];

describeInBrowser('console: team members and roles (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
  }, 60_000);
  afterAll(async () => h?.close());

  it('an admin invites a teammate in Settings; the link signs them in with their role', async () => {
    const admin = await h.newPage();
    await signIn(admin.page, OWNER.email, OWNER.password);
    await admin.page.getByRole('link', { name: 'Settings' }).click();
    await admin.page.getByLabel('Invite by email').fill('sam@acme.test');
    await admin.page.getByLabel('Invite as').selectOption('support');
    await admin.page.getByRole('button', { name: 'Create invitation' }).click();
    const link = await admin.page.getByLabel(/Invitation link for sam@acme.test/).inputValue();
    await admin.page.getByRole('cell', { name: 'sam@acme.test' }).waitFor();
    await screenshot(admin.page, 'settings', { top: true });

    const invitee = await h.newPage({ width: 390, height: 844 });
    await invitee.page.goto(new URL(link).pathname);
    await invitee.page.getByRole('heading', { name: 'Join Acme' }).waitFor();
    await invitee.page.getByLabel('Your name').fill('Sam Support');
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await invitee.page.getByRole('button', { name: 'Join workspace' }).click();
    await invitee.page.getByRole('heading', { name: 'Welcome, Sam Support' }).waitFor();
    await screenshot(invitee.page, 'home-phone');

    // The admin sees the new member in the team list.
    await admin.page.reload();
    await admin.page.getByRole('cell', { name: 'Sam Support' }).waitFor();
    await admin.context.close();
    await invitee.context.close();
  });

  it.each(ROLES)('a %s sees the navigation their role allows', async (role) => {
    const email = role === 'admin' ? OWNER.email : await h.addMember(owner, role);
    const { context, page } = await h.newPage();
    await signIn(page, email, role === 'admin' ? OWNER.password : PASSWORD);
    const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    for (const [entry, roles] of Object.entries(ENTRY_ROLES)) expect({ entry, shown: links.includes(entry) }).toEqual({ entry, shown: roles.includes(role) });
    await context.close();
  });

  it('a marketer cannot install a plugin: the form is disabled, and forcing it is refused by the hub', async () => {
    const email = 'marketing@acme.test';
    const { context, page } = await h.newPage();
    await signIn(page, email, PASSWORD);
    await page.goto('/plugins/web-forms');
    await page.getByText('Your role may view this plugin but not change it.').waitFor();
    const install = page.getByRole('button', { name: 'Install plugin' });
    expect(await install.isDisabled()).toBe(true);

    // Force it: enable the fieldset and the button as a user with dev tools could.
    await page.evaluate(() => document.querySelectorAll('fieldset[disabled], button[disabled]').forEach((el) => el.removeAttribute('disabled')));
    const answer = page.waitForResponse((r) => r.url().endsWith('/v1/plugins/web-forms') && r.request().method() === 'PUT');
    await install.click();
    expect((await answer).status()).toBe(403);
    await page.getByText(/Your role may not do this/).waitFor();
    const plugin = await owner.send('get', '/v1/plugins/web-forms').expect(200);
    expect(plugin.body.installation).toBeNull();
    await context.close();
  });

  it('a support agent opening the plugins page by its address is told their role may not', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, 'support@acme.test', PASSWORD);
    await page.goto('/plugins');
    await page.getByText('Your role (support) may not open this page.').waitFor();
    await context.close();
  });
});
