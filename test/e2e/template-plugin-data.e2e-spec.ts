import { ConsentService } from '@optline/consent';
import { ManualClock } from '@optline/core';
import { FlowMaintenance, ScheduledEventScanner } from '@optline/flows';
import { ConsoleSmsProvider } from '@optline/messaging';
import { HubspotClientFactory } from '@optline/plugin-hubspot';
import { GoogleCalendarMaintenance } from '@optline/plugin-google-calendar';
import { CalendarScenario, eventually } from '../fakes/google-calendar-harness';
import { FakeGoogleCalendar } from '../fakes/google-calendar.fake';
import { FakeHubspotCrm, hubspotFixture } from '../fakes/hubspot-crm.fake';
import { HubspotScenario } from '../fakes/hubspot-harness';
import { ShopifyAdminFake } from '../fakes/shopify-admin.fake';
import { shopifyFixture } from '../fakes/shopify-fixtures';
import { ACCESS_TOKEN, SHOP, ShopifyScenario } from '../fakes/shopify-harness';
import { TestHub } from '../utils/test-hub';

const HOUR = 3_600_000;
/** Friday 20 Nov 2026, 14:00 in New York and Miami: inside every sending window. */
const START = '2026-11-20T19:00:00.000Z';

/**
 * The data the loyalty, anniversary and post-service templates filter on comes from the plugins,
 * through their real webhooks (signed) or housekeeping: Shopify's order count and customer date,
 * HubSpot's createdate, the calendar's completed appointments.
 */
describe('plugins feed the templates that need their data', () => {
  let hub: TestHub;
  const clock = new ManualClock(START);
  let shop: ShopifyAdminFake;
  let crm: FakeHubspotCrm;
  let calendar: FakeGoogleCalendar;

  beforeAll(async () => {
    hub = await TestHub.start({ clock });
    shop = await new ShopifyAdminFake({ shopDomain: SHOP, accessToken: ACCESS_TOKEN }).start();
    crm = await FakeHubspotCrm.start();
    hub.get(HubspotClientFactory).configure({ basePath: crm.url, baseDelayMs: 20 });
    calendar = await FakeGoogleCalendar.start({ now: () => clock.now() });
  });
  afterAll(async () => {
    await hub?.close();
    await shop?.stop();
    await crm?.close();
    await calendar?.close();
  });
  beforeEach(() => clock.set(START));

  const texts = (workspaceId: string, phone: string) =>
    hub
      .get(ConsoleSmsProvider)
      .outbox({ workspaceId, to: phone })
      .map((s) => s.body);

  async function activate(admin: string, ...templateKeys: string[]): Promise<void> {
    for (const templateKey of templateKeys) {
      const created = await hub.http().post('/v1/flows/from-template').set('Authorization', admin).send({ templateKey }).expect(201);
      await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', admin).expect(200);
    }
  }

  it("Shopify: the customer's order count on an order fires the loyalty reward; the customer's creation date starts anniversaries", async () => {
    const s = await ShopifyScenario.start(hub, shop);
    await activate(s.admin, 'loyalty', 'anniversary');
    const phone = '+13055550148';
    const known = await hub.http().post('/v1/contacts').set('Authorization', s.admin).send({ phone }).expect(201);
    await hub.get(ConsentService).record(s.ws.id, { contactId: known.body.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'checkout' } });

    // A fourth order (REST's orders_count): no reward yet.
    const order = JSON.parse(shopifyFixture('orders-create'));
    const fourth = { ...order, id: 820982911946154, name: '#1004', customer: { ...order.customer, orders_count: 4, created_at: '2025-11-20T09:30:00-05:00' } };
    const first = await s.deliver('orders/create', JSON.stringify(fourth), { webhookId: 'loyalty-4' }).expect(200);
    const stored4 = await s.dispatched(first.body.stored[0]);
    expect(stored4.payload ?? stored4.data).toEqual(expect.objectContaining({ customerOrderCount: 4 }));
    // The fifth (newer API versions' number_of_orders, a string): the VIP text.
    const fifth = { ...order, id: 820982911946155, name: '#1005', customer: { ...order.customer, orders_count: undefined, number_of_orders: '5', created_at: '2025-11-20T09:30:00-05:00' } };
    const second = await s.deliver('orders/create', JSON.stringify(fifth), { webhookId: 'loyalty-5' }).expect(200);
    await s.dispatched(second.body.stored[0]);
    const vip = await eventually(async () => texts(s.ws.id, phone).find((t) => t.includes('VIP')), 'the loyalty text');
    expect(vip).toBe("Acme Alerts: Rosa, that's order number 5 - you're now a VIP! Enjoy 15% off every order with code VIP15. Reply STOP to opt out.");
    expect(texts(s.ws.id, phone).filter((t) => t.includes('VIP'))).toHaveLength(1);

    const contact = (await hub.http().get(`/v1/contacts/${known.body.id}`).set('Authorization', s.admin).expect(200)).body;
    expect(contact.attributes).toEqual(expect.objectContaining({ ordersCount: 5, customerSince: '2025-11-20', loyaltyTier: 'VIP' }));

    // Today is a year since they became a customer: the anniversary template finds them.
    await hub.get(ScheduledEventScanner).scan();
    const anniversary = await eventually(async () => texts(s.ws.id, phone).find((t) => t.includes('together')), 'the anniversary text');
    expect(anniversary).toBe('Acme Alerts: 1 year together - thank you, Rosa! Enjoy free shipping this week with code THANKYOU. Reply STOP to opt out.');
  });

  it("HubSpot: a contact's createdate becomes customerSince", async () => {
    crm.putContact('208114730058', hubspotFixture<{ properties: Record<string, string> }>('crm-contact-208114730058.json').properties);
    const s = await HubspotScenario.start(hub, crm);
    const [event] = await s.deliverAndDispatch(hubspotFixture('contact-creation.json'));
    expect(event).toMatchObject({ type: 'contact.created', status: 'processed' });
    const contact = (await hub.http().get(`/v1/contacts/${event.contactId}`).set('Authorization', s.admin).expect(200)).body;
    expect(contact.attributes).toEqual(expect.objectContaining({ customerSince: '2025-11-20' }));
  });

  it('Google Calendar: an appointment that ended is announced as appointment.completed, once, and the post-service follow-up goes out', async () => {
    const s = await CalendarScenario.start(hub, calendar);
    await activate(s.admin, 'post-service-follow-up');
    const startsAt = new Date(Date.parse(START) + 2 * HOUR);
    const phone = '+12125550190';
    calendar.addEvent(s.calendarId, { start: startsAt, end: new Date(startsAt.getTime() + HOUR), phone, attendee: { email: 'noor.haddad@example.com', displayName: 'Noor Haddad' } });
    await s.notifyAndSync();
    await eventually(async () => (await s.events('appointment.booked')).find((e) => e.status !== 'received'), 'the booking to be dispatched');

    // Before the end: housekeeping announces nothing.
    clock.set(new Date(startsAt.getTime() + 30 * 60_000));
    expect((await hub.get(GoogleCalendarMaintenance).run()).completed).toBe(0);
    // After it: one completion, and a second pass adds none.
    clock.set(new Date(startsAt.getTime() + HOUR + 60_000));
    expect((await hub.get(GoogleCalendarMaintenance).run()).completed).toBe(1);
    expect((await hub.get(GoogleCalendarMaintenance).run()).completed).toBe(0);
    const [completed] = await eventually(async () => {
      const rows = await s.events('appointment.completed');
      return rows.length === 1 && rows[0].status !== 'received' ? rows : undefined;
    }, 'the completion to be dispatched');
    expect(completed.correlation).toEqual(expect.objectContaining({ appointmentId: expect.any(String) }));

    clock.set(new Date(startsAt.getTime() + 3 * HOUR + 2 * 60_000));
    await hub.get(FlowMaintenance).tick();
    const followUp = await eventually(async () => texts(s.ws.id, phone).find((t) => t.includes('Thanks for visiting')), 'the follow-up');
    expect(followUp).toBe('Acme Alerts: Thanks for visiting us today, Noor! How did everything go? Reply here with any question or feedback. Reply STOP to opt out.');
  });
});
