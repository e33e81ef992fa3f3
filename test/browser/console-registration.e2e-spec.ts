import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, signIn } from './console-harness';

describeInBrowser('console: sender registration under Settings (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    const flow = await owner
      .send('post', '/v1/flows', {
        name: 'Win-back',
        messageType: 'marketing',
        trigger: { events: ['contact.created'] },
        reentry: { mode: 'never' },
        steps: [{ id: 'offer', type: 'send', template: '{{ workspace.brandName }}: 15% off for {{ contact.firstName }} at https://bit.ly/x Reply STOP to opt out.' }],
      })
      .expect(201);
    await owner.send('post', `/v1/flows/${flow.body.id}/activate`).expect(200);
  }, 60_000);
  afterAll(async () => h?.close());

  it('fills the brand profile, shows a refused field on its input, and lists the kit with its findings', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/settings');
    const brand = (await owner.send('get', '/v1/workspace').expect(200)).body.brandName as string;

    // The kit shows the active flow's sample and what vetting would reject.
    const samples = page.getByRole('list', { name: 'Samples for Marketing' });
    await samples.getByText(`${brand}: 15% off for Alex at https://bit.ly/x Reply STOP to opt out.`).waitFor();
    const findings = page.getByRole('list', { name: 'Findings' });
    await findings.getByText(/public_shortener/).waitFor();
    await findings.getByText('missing_brand_field', { exact: false }).first().waitFor();

    await page.getByLabel('Legal name').fill('Acme Incorporated');
    await page.getByLabel('Registered brand').fill(brand);
    await page.getByLabel('Country').fill('US');
    await page.getByLabel('Tax id').fill('123456789');
    await page.getByLabel('Website').fill('https://acme.test');
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/brand-profile') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save brand profile' }).click();
    expect((await refused).status()).toBe(422);
    await page.locator('.field--invalid').getByLabel('Tax id').waitFor();

    await page.getByLabel('Tax id').fill('12-3456789');
    const saved = page.waitForResponse((r) => r.url().endsWith('/v1/brand-profile') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save brand profile' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByText('Brand profile saved.').waitFor();
    const stored = await owner.send('get', '/v1/brand-profile').expect(200);
    expect(stored.body).toMatchObject({ legalName: 'Acme Incorporated', taxId: '12-3456789', website: 'https://acme.test' });
    // The kit is fetched again: fields now filled are no longer reported missing.
    await page.getByText(/The brand profile has no legalName/).waitFor({ state: 'detached' });
    await context.close();
  });
});
