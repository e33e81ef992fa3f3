import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

describeInBrowser('console: Settings → Senders (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
  }, 60_000);
  afterAll(async () => h?.close());

  it('adds senders, shows a refused one on its field, sets the brand tier and cap, and disables a sender', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/settings');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Senders', exact: true }) });
    await card.getByText('No senders yet').waitFor();

    const add = card.getByRole('form', { name: 'Add a sender' });
    await add.getByLabel('Number or id').fill('+13125550100');
    await add.getByLabel('Label').fill('Main store line');
    const created = page.waitForResponse((r) => r.url().endsWith('/v1/senders') && r.request().method() === 'POST');
    await add.getByRole('button', { name: 'Add sender' }).click();
    expect((await created).status()).toBe(201);
    const table = card.getByRole('table', { name: 'Senders' });
    await table.getByText('+13125550100').waitFor();
    await table.getByText('1.25/s (default) · daily cap').waitFor();

    // An alphanumeric id cannot take replies: the hub refuses conversational, the form says so.
    await add.getByLabel('Kind').selectOption('alphanumeric');
    await add.getByLabel('Number or id').fill('ACME');
    await add.getByLabel('conversational').check();
    const refused = page.waitForResponse((r) => r.url().endsWith('/v1/senders') && r.request().method() === 'POST');
    await add.getByRole('button', { name: 'Add sender' }).click();
    expect((await refused).status()).toBe(422);
    await add.getByText(/cannot receive replies/).waitFor();
    await add.getByLabel('conversational').uncheck();
    await add.getByRole('button', { name: 'Add sender' }).click();
    await table.getByText('ACME').waitFor();

    // The brand's tier raises its 10DLC numbers' rate; the cap is set explicitly.
    const limits = card.getByRole('form', { name: 'Brand limits' });
    await limits.getByLabel('10DLC tier').selectOption('score_50_74');
    await limits.getByLabel('Daily cap').fill('25000');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await card.getByText('Brand limits saved.').waitFor();
    await table.getByText('120/s (default) · daily cap').waitFor();
    expect((await owner.send('get', '/v1/senders/brand-limit').expect(200)).body).toMatchObject({ tenDlcTier: 'score_50_74', dailyCap: 25000, effectiveDailyCap: 25000 });

    const row = table.getByRole('row', { name: /ACME/ });
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    const stored = (await owner.send('get', '/v1/senders').expect(200)).body.data as { address: string; enabled: boolean }[];
    expect(stored.map((s) => [s.address, s.enabled])).toEqual([
      ['+13125550100', true],
      ['ACME', false],
    ]);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-senders');
    await context.close();

    // At phone width the table turns into labelled rows.
    const phone = await h.newPage({ width: 390, height: 844 });
    await signIn(phone.page, OWNER.email, OWNER.password);
    await phone.page.goto('/settings');
    const phoneCard = phone.page.locator('section.card', { has: phone.page.getByRole('heading', { name: 'Senders', exact: true }) });
    await phoneCard.getByText('ACME').waitFor();
    await phoneCard.getByRole('table', { name: 'Senders' }).scrollIntoViewIfNeeded();
    await screenshot(phone.page, 'settings-senders-phone');
    await phone.context.close();
  }, 90_000);

  it('imports a carrier deactivation list on the suppression screen and shows what hygiene removed', async () => {
    // One contact opted in before the deactivation date, one after it.
    const stale = await owner.send('post', '/v1/contacts', { phone: '+13125550700', firstName: 'Stale' }).expect(201);
    await owner.send('post', `/v1/contacts/${stale.body.id}/consent`, { types: ['marketing'], state: 'opted_in', evidence: { text: 'paper form' } }).expect(201);
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/suppression');
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Number hygiene', exact: true }) });
    await card.getByText(/Nothing removed from/).waitFor();
    await card.getByLabel('Carrier deactivation list (CSV)').setInputFiles({
      name: 'tmobile-deactivations.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('MDN,Deactivation Date\n+13125550700,2099-01-01\n+13125550701,20261101\nnot-a-number,2026-11-01\n'),
    });
    const imported = page.waitForResponse((r) => r.url().endsWith('/v1/hygiene/deactivations'));
    await card.getByRole('button', { name: 'Import deactivations' }).click();
    expect((await imported).status()).toBe(200);
    await card.getByText('3 rows read: 2 suppressed, 0 already suppressed, 0 opted in again since (kept), 1 rejected.').waitFor();
    await card.getByText('Deactivated by the carrier: 2').waitFor();
    await card.getByRole('table', { name: 'Removed by hygiene, per day' }).getByText('Deactivated by the carrier').waitFor();
    // The suppression list shows them, with the reason.
    await page.getByRole('table', { name: 'Suppressed numbers' }).getByText('+13125550700').waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'suppression-hygiene');
    await context.close();
  }, 60_000);
});
