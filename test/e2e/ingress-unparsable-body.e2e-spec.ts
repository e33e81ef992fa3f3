import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { ACCESS_TOKEN, SHOP, ShopifyScenario } from '../fakes/shopify-harness';
import { TestHub } from '../utils/test-hub';

describe('webhook ingress: a signed body that is not JSON is kept as a failed event', () => {
  let hub: TestHub;
  let fake: ShopifyAdminFake;
  let s: ShopifyScenario;

  beforeAll(async () => {
    hub = await TestHub.start();
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
    s = await ShopifyScenario.start(hub, fake);
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.stop();
  });

  const events = () =>
    hub.dataSource.query(`SELECT id, type, status, payload, outcome, plugin_id, installation_id FROM trigger_event WHERE workspace_id = $1 ORDER BY received_at, id`, [s.ws.id]);

  it('verifies the signature over the raw bytes, stores a failed event with the parse error and answers 422 naming the body', async () => {
    const body = '{"token": "e4b8d27f1c90", "line_items": [';
    const res = await s.deliver('checkouts/create', body, { webhookId: 'b54557c5-unparsable' }).expect(422);
    expect(res.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'body', message: expect.stringMatching(/^body is not valid JSON: /) }] });

    const [event] = await events();
    expect(res.body.message).toContain(event.id);
    expect(event).toMatchObject({
      type: 'webhook.unparsable',
      status: 'failed',
      plugin_id: 'shopify',
      installation_id: s.installationId,
      payload: { contentType: expect.stringContaining('application/json'), bytes: Buffer.byteLength(body), excerpt: body, error: expect.stringContaining('not valid JSON') },
      outcome: { errors: { body: expect.stringContaining('not valid JSON') } },
    });
    // The admin API lists it with the others, and the installation's status says why.
    const listed = await hub.http().get('/v1/events').query({ status: 'failed' }).set('Authorization', s.admin).expect(200);
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([event.id]);
    expect((await s.plugin()).installation.status.lastError).toMatchObject({ source: 'payload', message: expect.stringContaining('not valid JSON') });

    // Shopify retries the same delivery: still one row.
    await s.deliver('checkouts/create', body, { webhookId: 'b54557c5-unparsable' }).expect(422);
    expect(await events()).toHaveLength(1);
  });

  it('stores nothing for the same bytes with a bad signature (401), and other senders still get their 400', async () => {
    const before = (await events()).length;
    await s.deliver('checkouts/create', '{"oops', { signature: 'AAAA' }).expect(401);
    expect(await events()).toHaveLength(before);
    // Outside /hooks the parser's answer is unchanged.
    const api = await hub.http().post('/v1/flows/validate').set('Authorization', s.admin).set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expect(api.body.code).toBe('malformed_body');
  });
});
