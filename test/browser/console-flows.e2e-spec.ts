import { ShopifyAdminEndpoint } from '@optline/plugin-shopify';
import type { Page } from 'playwright-core';
import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { shopifyFixture, shopifyHeaders } from '../fakes/shopify-fixtures';
import { ACCESS_TOKEN, CLIENT_SECRET, SHOP } from '../fakes/shopify-harness';
import { ApiSession, ConsoleHarness, describeInBrowser, OWNER, screenshot, signIn } from './console-harness';

/** A node of the diagram by its step id (node id = step id). */
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

describeInBrowser('console: flows (headless Chromium)', () => {
  let h: ConsoleHarness;
  let owner: ApiSession;
  let fake: ShopifyAdminFake;
  let installationId: string;

  beforeAll(async () => {
    h = await ConsoleHarness.start();
    owner = await h.setUpOwner();
    // The store the webhooks come from, installed through the API: not what these tests are about.
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
    h.hub.get(ShopifyAdminEndpoint).pointAt(fake.url);
    const installed = await owner.send('put', '/v1/plugins/shopify', { config: { shopDomain: SHOP, accessToken: ACCESS_TOKEN, clientSecret: CLIENT_SECRET, abandonmentWaitMinutes: 60 } }).expect(200);
    installationId = installed.body.installation.id;
    await owner.send('post', '/v1/plugins/shopify/enable').expect(200);
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await fake?.stop();
  });

  /** Shopify posts a signed webhook, as the store would. */
  async function shopifySends(topic: string, fixture: string): Promise<void> {
    const body = shopifyFixture(fixture);
    const res = await fetch(`${h.baseUrl}/hooks/shopify/${installationId}`, { method: 'POST', headers: shopifyHeaders({ topic, body, shopDomain: SHOP, secret: CLIENT_SECRET }), body });
    expect(res.status).toBe(200);
  }

  it('builds the abandoned-cart flow on an empty canvas, fixes a flagged node, simulates, activates, and follows a real run', async () => {
    const { context, page } = await h.newPage({ width: 1440, height: 900 });
    await signIn(page, OWNER.email, OWNER.password);
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('link', { name: 'New flow' }).click();
    await page.getByRole('region', { name: 'Flow diagram' }).waitFor();

    // The trigger: a checkout, one run per checkout token, ended by the order.
    const settings = page.getByRole('region', { name: 'Flow settings' });
    await settings.getByLabel('Name').fill('Cart recovery');
    await settings.getByLabel('Trigger event').selectOption('checkout.updated');
    await settings.getByLabel('Correlation key').fill('checkoutToken');
    await settings.getByLabel('Ends early on').selectOption('order.created');
    await node(page, '@trigger').getByText('checkout.updated').waitFor();
    await node(page, '@trigger').getByText('Ends on order.created').waitFor();

    // Steps dragged from the palette onto the canvas: wait, send, exit.
    const canvas = page.getByRole('region', { name: 'Flow diagram' });
    await page.getByTestId('palette-wait').dragTo(canvas);
    await node(page, 'wait-1').waitFor();
    await page.getByTestId('palette-send').dragTo(canvas);
    await node(page, 'send-1').waitFor();
    await page.waitForURL(/\/flows\/new\/steps\/send-1$/);

    // The message with its recovery link, typed with the variables' completion; no opt-out language yet.
    const message = page.getByLabel('Message (Liquid)');
    await message.fill('{{ workspace.brandName }}: you left something in your cart. Finish here: {{ event.check');
    await page.getByRole('list', { name: 'Variables' }).getByRole('button', { name: 'event.checkoutUrl' }).click();
    expect(await message.inputValue()).toBe('{{ workspace.brandName }}: you left something in your cart. Finish here: {{ event.checkoutUrl }}');
    await message.fill('{{ workspace.brandName }}: you left something in your cart. Finish here: {{ event.checkoutUrl | link }}');
    await page.getByLabel('Preview').getByText(/Acme Alerts: you left something in your cart\. Finish here: http:\/\/127\.0\.0\.1:\d+\/l\//).waitFor();
    await page.getByText(/characters · 1 segment · GSM-7/).waitFor();
    await page.getByTestId('palette-exit').dragTo(canvas);
    await node(page, 'exit-1').waitFor();

    // The hub's compliance lint flags the first text on its node.
    await node(page, 'send-1').getByRole('alert').getByText(/opt-out language/).waitFor();
    await screenshot(page, 'flow-builder-invalid');
    await node(page, 'send-1').click();
    await message.press('Control+End');
    await message.pressSequentially(' Reply STOP to opt out.');
    await node(page, 'send-1').getByRole('alert').waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('· valid').waitFor();

    // Undo takes the fix back, redo restores it.
    await page.getByRole('button', { name: 'Undo' }).click();
    await node(page, 'send-1').getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await node(page, 'send-1').getByRole('alert').waitFor({ state: 'detached' });

    const created = page.waitForResponse((r) => r.url().endsWith('/v1/flows') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect((await created).status()).toBe(201);
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    const flowId = new URL(page.url()).pathname.split('/')[2];
    const saved = (await owner.send('get', `/v1/flows/${flowId}`).expect(200)).body;
    expect(saved.definition).toEqual({
      name: 'Cart recovery',
      messageType: 'marketing',
      trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
      reentry: { mode: 'never' },
      exits: [{ event: 'order.created', correlationKey: 'checkoutToken' }],
      steps: [
        { id: 'wait-1', type: 'wait', duration: 'PT1H' },
        { id: 'send-1', type: 'send', template: '{{ workspace.brandName }}: you left something in your cart. Finish here: {{ event.checkoutUrl | link }} Reply STOP to opt out.' },
        { id: 'exit-1', type: 'exit' },
      ],
    });

    // The simulator on the diagram: the path lights up and the timeline says what the gateway would do.
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const timeline = page.getByRole('list', { name: 'Simulated timeline' });
    await timeline.getByText(/gateway would send at .*Acme Alerts: you left something/).waitFor();
    for (const id of ['wait-1', 'send-1', 'exit-1']) await node(page, id).locator('.flow-node--path').waitFor();
    await screenshot(page, 'flow-builder-simulated');

    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('active version 1').waitFor();

    // A signed Shopify checkout: the run appears, waiting on the wait step.
    await shopifySends('checkouts/create', 'checkouts-create');
    await page.getByRole('link', { name: /Runs \(/ }).click();
    const runLink = page.getByRole('row').filter({ hasText: 'wait-1' }).getByRole('link');
    await runLink.waitFor({ timeout: 20_000 });
    await runLink.click();
    await node(page, 'wait-1').locator('.flow-node--current').waitFor();
    await page.getByRole('list', { name: 'Run timeline' }).getByText('wait-1').waitFor();
    await screenshot(page, 'flow-run');

    // The order for that checkout ends it.
    await shopifySends('orders/create', 'orders-create');
    await page.getByText('exited').first().waitFor({ timeout: 20_000 });
    await node(page, 'wait-1').locator('.flow-node--current').waitFor({ state: 'detached' });

    // The list: trigger, status, active version, live runs and the last 7 days' counts.
    await page.getByRole('link', { name: 'Flows' }).first().click();
    const row = page.getByRole('row').filter({ hasText: 'Cart recovery' });
    await row.getByText('checkout.updated').waitFor();
    await row.getByText('v1').waitFor();
    await screenshot(page, 'flows');
    await context.close();
  });

  it('opens a template from the gallery, changes its text and activates it', async () => {
    const { context, page } = await h.newPage({ width: 1440, height: 900 });
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/flows/templates');
    const card = page.locator('.card').filter({ hasText: 'Order confirmation' }).first();
    await card.getByText('Success metric').waitFor();
    await screenshot(page, 'flow-templates');
    await card.getByRole('button', { name: /Use the .* template/ }).click();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    const flowId = new URL(page.url()).pathname.split('/')[2];
    const before = (await owner.send('get', `/v1/flows/${flowId}`).expect(200)).body.definition;
    const send = before.steps.find((s: { type: string }) => s.type === 'send');

    await node(page, send.id).click();
    await page.waitForURL(new RegExp(`/flows/${flowId}/steps/${send.id}$`));
    const message = page.getByLabel('Message (Liquid)');
    await message.press('Control+End');
    await message.pressSequentially(' Thank you!');
    const saved = page.waitForResponse((r) => r.url().endsWith(`/v1/flows/${flowId}`) && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByText('active version 2').waitFor();
    const after = (await owner.send('get', `/v1/flows/${flowId}`).expect(200)).body;
    expect(after).toMatchObject({ status: 'active', activeVersion: 2 });
    expect(after.definition.steps.find((s: { id: string }) => s.id === send.id).template).toBe(`${send.template} Thank you!`);
    await screenshot(page, 'flow-builder');

    // The document behind the diagram, and what changed between the two versions.
    await page.getByRole('button', { name: 'Document' }).click();
    expect(await page.getByLabel('Flow document').inputValue()).toContain('Thank you!');
    const diff = page.getByLabel('Differences between the versions');
    await diff.locator('.flow-diff--added').filter({ hasText: 'Thank you!' }).waitFor();
    await diff.locator('.flow-diff--removed').first().waitFor();
    await screenshot(page, 'flow-document');
    await context.close();
  });
});
