import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { shopifyFixture } from '../fakes/shopify-fixtures';
import { ACCESS_TOKEN, SHOP, ShopifyScenario } from '../fakes/shopify-harness';
import { TestHub } from '../utils/test-hub';

const SUBSCRIBED = JSON.parse(shopifyFixture('customers-marketing-consent-update.subscribed')) as Record<string, unknown>;
const UNSUBSCRIBED = JSON.parse(shopifyFixture('customers-marketing-consent-update.unsubscribed')) as Record<string, unknown>;

/** The consent webhook of another customer and phone. */
const consentOf = (base: Record<string, unknown>, id: number, phone: string) => JSON.stringify({ ...base, id, phone });

describe('Shopify ingest under concurrent webhooks: shared consent lookups, NUL characters', () => {
  let hub: TestHub;
  let fake: ShopifyAdminFake;

  beforeAll(async () => {
    hub = await TestHub.start();
    fake = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.stop();
  });

  /** What each stored event says about consent: the statement kept, or dropped as an echo. */
  const consentOfEvents = async (ids: string[]) => {
    const rows: { id: string; kept: boolean; unchanged: string | null }[] = await hub.dataSource.query(
      `SELECT id, consent_hint IS NOT NULL AS kept, payload->>'consentUnchanged' AS unchanged FROM trigger_event WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, { kept: r.kept, unchanged: r.unchanged }]));
    return ids.map((id) => byId.get(id));
  };

  it('drops the repeated consent of every concurrent webhook, and keeps a different or unknown one, per workspace', async () => {
    const s = await ShopifyScenario.start(hub, fake);
    const other = await ShopifyScenario.start(hub, fake);
    // Known people: +13055550148 subscribed, +13055550188 subscribed (to be unsubscribed below).
    for (const body of [consentOf(SUBSCRIBED, 7390085526, '+13055550148'), consentOf(SUBSCRIBED, 7390014288, '+13055550188')]) {
      const res = await s.deliver('customers_marketing_consent/update', body).expect(200);
      await s.dispatched(res.body.stored[0]);
    }

    const deliveries = [
      ...Array.from({ length: 6 }, () => ({ at: s, body: consentOf(SUBSCRIBED, 7390085526, '+13055550148'), expect: 'echo' })),
      // The same number written nationally is the same person.
      { at: s, body: consentOf(SUBSCRIBED, 7390085526, '(305) 555-0148'), expect: 'echo' },
      { at: s, body: consentOf(UNSUBSCRIBED, 7390014288, '+13055550188'), expect: 'kept' },
      { at: s, body: consentOf(SUBSCRIBED, 7390014277, '+13055550177'), expect: 'kept' },
      // Another workspace has no contact with this number: its statement is an act, not an echo.
      { at: other, body: consentOf(SUBSCRIBED, 7390085526, '+13055550148'), expect: 'kept' },
    ];
    const answers = await Promise.all(deliveries.map((d) => d.at.deliver('customers_marketing_consent/update', d.body)));
    expect(answers.map((a) => a.status)).toEqual(deliveries.map(() => 200));

    const seen = await consentOfEvents(answers.map((a) => a.body.stored[0] as string));
    expect(seen).toEqual(deliveries.map((d) => (d.expect === 'echo' ? { kept: false, unchanged: 'opted_in' } : { kept: true, unchanged: null })));
  });

  it('answers 422 naming the field for a NUL character in the body, stores nothing, and accepts an escaped backslash', async () => {
    const s = await ShopifyScenario.start(hub, fake);
    const checkout = JSON.parse(shopifyFixture('checkouts-update')) as Record<string, unknown>;
    const count = async () => (await hub.dataSource.query('SELECT count(*)::int AS n FROM trigger_event WHERE installation_id = $1', [s.installationId]))[0].n as number;

    const withNul = JSON.stringify({ ...checkout, note: 'leave at the door\u0000' });
    expect(withNul).toContain('\\u0000');
    const res = await s.deliver('checkouts/update', withNul).expect(422);
    expect(res.body).toMatchObject({ code: 'unprocessable_payload', details: [{ field: 'note', message: expect.stringContaining('NUL character') }] });
    const nested = await s.deliver('checkouts/update', JSON.stringify({ ...checkout, customer: { ...(checkout.customer as object), first_name: 'Ann\u0000' } })).expect(422);
    expect(nested.body.details[0].field).toBe('customer.first_name');
    expect(await count()).toBe(0);
    const view = await s.plugin();
    expect(view.installation.status.lastError).toMatchObject({ source: 'payload', message: expect.stringContaining('first_name') });

    // The six characters "\u0000" written as text (an escaped backslash) are not a NUL.
    await s.deliver('checkouts/update', JSON.stringify({ ...checkout, note: 'type \\u0000 here' })).expect(200);
    expect(await count()).toBe(1);
  });
});
