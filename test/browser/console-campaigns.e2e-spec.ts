import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import request from 'supertest';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

/** A fixed-offset zone where it is about 13:00 now, so quiet hours never defer these texts. */
function middayZone(now = new Date()): string {
  const normalized = ((13 - now.getUTCHours() + 11 + 24) % 24) - 11;
  return normalized === 0 ? 'Etc/UTC' : `Etc/GMT${normalized > 0 ? '-' : '+'}${Math.abs(normalized)}`;
}

describeInBrowser('console: segments and campaigns (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let key: string;
  let workspaceId: string;
  const api = () => request(h.hub.app.getHttpServer());
  const phones = ['+13125550701', '+13125550702', '+13125550703', '+13125550704', '+13125550705'];

  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    key = await owner.apiKey();
    workspaceId = (await owner.send('get', '/v1/auth/me').expect(200)).body.workspace.id;
    const zone = middayZone(h.hub.clock.now());
    for (const [i, phone] of phones.entries()) {
      const { contact } = await h.hub.get(ContactService).upsertByPhone(workspaceId, { phone, firstName: `Guest${i}`, timeZone: zone });
      await h.hub.get(ConsentService).record(workspaceId, { contactId: contact.id, types: ['marketing'], state: i === 4 ? 'opted_out' : 'opted_in', source: 'web_form', evidence: { form: 'console test' } });
    }
  }, 60_000);
  afterAll(async () => h?.close());

  it('builds a segment with a live count, then creates, test-sends and schedules a campaign to it and follows its progress to the end', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Segments' }).click();
    // The builder starts with "Marketing consent is opted in": 4 of the 5 match.
    await page.getByTestId('segment-count').getByText('4 contacts match now').waitFor();
    await page.getByLabel('Value').first().selectOption('opted_out');
    await page.getByTestId('segment-count').getByText('1 contacts match now').waitFor();
    await page.getByLabel('Value').selectOption('opted_in');
    await page.getByTestId('segment-count').getByText('4 contacts match now').waitFor();
    // Where the number is: every guest's area code (312) is in Illinois, none in California.
    await page.getByRole('button', { name: 'Add condition' }).click();
    const region = page.getByTestId('condition-row').nth(1);
    await region.getByLabel('Condition 2').selectOption({ label: 'State (area code)' });
    await region.getByLabel('Value').fill('CA');
    await page.getByTestId('segment-count').getByText('0 contacts match now').waitFor();
    await region.getByLabel('Value').fill('IL');
    await page.getByTestId('segment-count').getByText('4 contacts match now').waitFor();
    await screenshot(page, 'segments-region');
    await region.getByRole('button', { name: 'Remove' }).click();
    await page.getByTestId('segment-count').getByText('4 contacts match now').waitFor();
    await page.getByLabel('Name').fill('Opted-in guests');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('cell', { name: 'Opted-in guests' }).waitFor();
    await screenshot(page, 'segments');

    await page.getByRole('link', { name: 'Campaigns' }).click();
    // The form is filled once its lists have loaded (audience count shown), then saved.
    await page.getByLabel('Audience').selectOption({ label: 'Segment: Opted-in guests' });
    await page.getByText('4 contacts now').waitFor();
    await page.getByLabel('Name').fill('Spring offer');
    await page.getByLabel('Message', { exact: true }).fill('{{ workspace.brandName }}: spring offer for {{ contact.firstName }}. Reply STOP to opt out.');
    const created = page.waitForResponse((r) => r.url().endsWith('/v1/campaigns') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create draft' }).click();
    expect((await created).status()).toBe(201);
    await page.getByRole('cell', { name: 'Spring offer' }).waitFor();

    // A test to "my" number: the opted-out one, so the gateway blocks it like any other text.
    await page.getByLabel('Test number for Spring offer').fill(phones[4]);
    await page.getByRole('button', { name: 'Send test to me' }).click();
    await page.getByRole('status').getByText(/Test message queued/).waitFor();

    await page.getByRole('button', { name: 'Schedule' }).click();
    // The list and the progress poll while it sends: the bar ends full and the badge says completed.
    await page.getByText('4 sent · 0 blocked · 0 deferred · 0 remaining').waitFor({ timeout: 30_000 });
    await page.getByText('completed', { exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'campaigns');

    const [campaign] = (await api().get('/v1/campaigns').set('Authorization', key).expect(200)).body.data;
    const messages = (await api().get(`/v1/messages?campaignId=${campaign.id}&limit=50`).set('Authorization', key).expect(200)).body.data;
    expect(messages.filter((m: { status: string }) => m.status === 'sent')).toHaveLength(4);
    expect(messages.filter((m: { status: string; reason: string }) => m.status === 'blocked' && m.reason === 'opted_out')).toHaveLength(1); // the test send
    await context.close();
  }, 120_000);

  it('an operations person (flows:read, no flows:write) sees campaigns but no way to create or schedule one', async () => {
    const email = await h.addMember(owner, 'operations');
    const { context, page } = await h.newPage();
    await signIn(page, email, 'a long enough password');
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'All campaigns' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create draft' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Schedule' }).count()).toBe(0);
    await context.close();
  });
});
