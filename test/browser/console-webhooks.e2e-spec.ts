import { Webhook } from 'standardwebhooks';
import { WebhookReceiver } from '../fakes/webhook-receiver';
import { pollUntil } from '../utils/wait';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

/**
 * Settings → Webhooks as an admin uses it: add an endpoint with its events, copy the secret shown
 * once (it verifies what the receiver gets), send a test, see the endpoint disabled after it kept
 * failing, enable it again and replay the failed delivery from the log.
 */
describeInBrowser('console: webhooks (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    h = await ConsoleHarness.start({ env: { WEBHOOK_RETRY_SCHEDULE: '0.2', WEBHOOK_DISABLE_AFTER: '1' } });
    owner = await h.setUpOwner();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  it('adds an endpoint, shows its secret once, tests it, shows why it was disabled, and replays a failed delivery', async () => {
    const { context, page } = await h.newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/settings');
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Webhooks' }) });
    await card.getByText('No webhook endpoints').waitFor();

    await card.getByLabel('Endpoint URL').fill(receiver.url('/crm'));
    await card.getByLabel('Description (optional)').fill('Helpdesk: opt-outs');
    await card.getByRole('checkbox', { name: /consent\.changed/ }).check();
    await card.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = await card.getByLabel(/Signing secret of .*\/crm/).inputValue();
    expect(secret).toMatch(/^whsec_/);
    const endpoint = card.getByRole('listitem', { name: `Webhook endpoint ${receiver.url('/crm')}` });
    await endpoint.getByText('enabled').waitFor();
    await screenshot(page, 'settings-webhooks-added');

    await endpoint.getByRole('button', { name: 'Send test' }).click();
    await endpoint.getByText(/Test event delivered: HTTP 200/).waitFor();
    const [test] = receiver.at('/crm');
    expect(new Webhook(secret).verify(test.body, test.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });

    // The receiver goes down: an opt-out's delivery fails both attempts and the endpoint is disabled.
    receiver.answer('/crm', 500);
    const auth = await owner.apiKey();
    const contact = await h.hub.http().post('/v1/contacts').set('Authorization', auth).send({ phone: '+14155550177', firstName: 'Rae' }).expect(201);
    await h.hub.http().post(`/v1/contacts/${contact.body.id}/consent`).set('Authorization', auth).send({ types: ['marketing'], state: 'opted_out', evidence: { text: 'Asked on the phone' } }).expect(201);
    await pollUntil(async () => (await owner.send('get', '/v1/webhook-endpoints').expect(200)).body.data[0].enabled, (enabled) => enabled === false, 10_000, 'endpoint disabled');
    await page.reload();
    await endpoint.getByText('No events are sent to this endpoint.').waitFor();
    await endpoint.getByText(/Disabled after 1 delivery in a row failed every attempt \(last: HTTP 500/).waitFor();
    await endpoint.getByRole('button', { name: 'Deliveries' }).click();
    const failedRow = endpoint.getByRole('row').filter({ hasText: 'consent.changed' });
    await failedRow.getByText('failed').waitFor();
    await failedRow.getByText('2 of 2').waitFor();
    await screenshot(page, 'settings-webhooks-disabled');

    // Fixed: enable it again and replay the failed delivery from the log.
    receiver.answer('/crm', 200);
    await endpoint.getByRole('button', { name: 'Enable again' }).click();
    await endpoint.getByText('enabled').waitFor();
    await failedRow.getByRole('button', { name: 'Replay' }).click();
    await failedRow.getByText('succeeded').waitFor();
    await failedRow.getByText('3 of 3').waitFor();
    const last = receiver.at('/crm').at(-1)!;
    expect(new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).toMatchObject({ type: 'consent.changed', data: { contactId: contact.body.id, state: 'opted_out' } });
    await screenshot(page, 'settings-webhooks-replayed');
    await context.close();
  });
});
