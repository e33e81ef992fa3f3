import request from 'supertest';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

describeInBrowser('console: imports, groups and suppression (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let key: string;
  const api = () => request(h.hub.app.getHttpServer());

  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    key = await owner.apiKey();
  }, 60_000);
  afterAll(async () => h?.close());

  it('imports a CSV with its columns mapped, follows the job to the end and offers the rejected rows', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `+1415556${String(1000 + i)},Guest${i},opted_in,gold`);
    rows.splice(7, 0, 'not-a-phone,Broken,opted_in,gold');
    const csv = ['Cell,Given name,consent,tier', ...rows].join('\n') + '\n';

    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('guests.csv').waitFor();
    await page.getByText('401 rows').waitFor();
    // "Cell" is not a column the hub knows: map it to the phone; "Given name" too.
    await page.getByLabel('Column “Cell”').selectOption('phone');
    await page.getByLabel('Column “Given name”').selectOption('first_name');
    expect(await page.getByLabel('Column “consent”').inputValue()).toBe('consent');
    await page.getByLabel('Note kept as evidence (optional)').fill('Guest list, spring event');
    await page.getByRole('button', { name: 'Start import' }).click();

    const bar = page.getByRole('progressbar', { name: 'Rows imported' });
    await bar.waitFor();
    await page.waitForFunction(() => document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '100', undefined, { timeout: 30_000 });
    await page.getByText('Import finished: 401 rows read.').waitFor();
    await screenshot(page, 'imports');
    const report = page.getByRole('link', { name: 'Download rejected rows' });
    const href = (await report.getAttribute('href'))!;
    // The download is a same-origin GET with the session cookie, like the link the user clicks.
    const body = await page.evaluate(async (url) => (await window.fetch(url)).text(), href);
    expect(body).toContain('not-a-phone');

    const imports = await api().get('/v1/imports').set('Authorization', key).expect(200);
    expect(imports.body.data[0]).toMatchObject({ status: 'completed', rowsRead: 401, created: 400, rejected: 1 });
    const gold = await api().get('/v1/contacts?attribute=tier:gold&limit=1').set('Authorization', key).expect(200);
    expect(gold.body.data[0].firstName).toMatch(/^Guest/);
    await context.close();
  });

  it('creates a group and lists it with its members', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByLabel('Name').fill('Spring guests');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'Spring guests' }).waitFor();
    await screenshot(page, 'groups');
    await context.close();
  });

  it('suppresses a number and removes it again', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Suppression list' }).click();
    await page.getByLabel('Phone', { exact: true }).fill('+14155550123');
    await page.getByLabel('Reason', { exact: true }).fill('Carrier says landline');
    await page.getByRole('button', { name: 'Suppress', exact: true }).click();
    await page.getByRole('cell', { name: 'Carrier says landline' }).waitFor();
    await api().get('/v1/suppression/+14155550123').set('Authorization', key).expect(200);
    await screenshot(page, 'suppression');
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Remove +14155550123' }).click();
    await page.getByText('No suppressed numbers').waitFor();

    // A whole list at once, with one reason; a bad line is named.
    await page.getByLabel('CSV file with a phone column').setInputFiles({ name: 'litigators.csv', mimeType: 'text/csv', buffer: Buffer.from('phone\n+14155550130\n+14155550131\n12\n') });
    await page.getByLabel('Reason for the whole list').fill('Known litigators list, Nov 2026');
    await page.getByRole('button', { name: 'Suppress the list' }).click();
    await page.getByText('3 rows read: 2 added, 0 already suppressed, 1 rejected.').waitFor();
    await page.getByText(/Line 4:/).waitFor();
    await page.getByRole('cell', { name: '+14155550131' }).waitFor();
    await context.close();
  });
});
