import { ConsentService } from '@optline/consent';
import type { Contact } from '@optline/contacts';
import { ScheduledEventScanner } from '@optline/flows';
import { ConsoleSmsProvider, InboundSmsService } from '@optline/messaging';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/**
 * Every built-in template (the seeds' flows: 000, 002 and 003; the opt-in templates have their
 * own suites) run end to end: created from the template, activated, its trigger stored the way
 * plugins store events (or enrolled, scanned, texted, consented), time moved on the hub's clock
 * with the due-work pass, and the texts checked where they land — at the SMS provider, after the
 * gateway. A template without a case here fails the suite.
 */

// Tuesday 10 March 2026, 13:00 in Chicago (the contacts' zone): every wait below lands inside the sending window.
const START = new Date('2026-03-10T18:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(START.getTime() + ms);
const LINK = /https:\/\/hub\.optline\.test\/l\/[A-Za-z0-9_-]+/g;

interface CaseContext {
  kit: FlowKit;
  hub: TestHub;
  contact: Contact;
  flowId: string;
  emit(type: string, fields?: { correlation?: Record<string, string>; data?: Record<string, unknown> }): Promise<void>;
}

interface TemplateCase {
  key: string;
  /** Which seed flow it is, and what this case shows. */
  name: string;
  /** Contact attributes before the trigger. */
  attributes?: Record<string, unknown>;
  /** Opt the contact in to every type first (default true). */
  optedIn?: boolean;
  trigger(ctx: CaseContext): Promise<void>;
  /** Let time run to here (the clock stops at each of the workspace's wake-ups on the way). */
  until?: Date;
  /** The texts the provider got, in order (links shown as <link>); each must contain its entry. */
  texts: string[];
  /** Other texts may reach the provider too (the gateway's own keyword reply). */
  alsoOthers?: boolean;
  after?(ctx: CaseContext, sent: string[]): Promise<void>;
}

const CASES: TemplateCase[] = [
  {
    key: 'abandoned-cart',
    name: 'seed 002: two nudges after a checkout is left',
    trigger: (c) => c.emit('checkout.updated', { correlation: { checkoutToken: 'tok-1' }, data: { checkoutUrl: 'https://acme.test/checkouts/tok-1' } }),
    until: at(26 * HOUR),
    texts: ['Acme Alerts: Sam, you left something in your cart. Finish checking out here: <link> Reply STOP to opt out.', 'Acme Alerts: Your cart is still saved, but items sell out. Complete your order: <link>'],
  },
  {
    key: 'anniversary',
    name: 'seed 002: customer anniversary from customerSince',
    attributes: { customerSince: '2025-03-10' },
    trigger: (c) => c.hub.get(ScheduledEventScanner).scan().then(() => settle(c.hub)),
    texts: ['Acme Alerts: 1 year together - thank you, Sam! Enjoy free shipping this week with code THANKYOU. Reply STOP to opt out.'],
  },
  {
    key: 'appointment-reminder',
    name: 'seed 003 flow 2: confirmation (call or visit a link to change it), reminders 24 h (reschedule link) and 1 h before',
    trigger: (c) => c.emit('appointment.booked', { correlation: { appointmentId: 'appt-1' }, data: { appointmentId: 'appt-1', startsAt: at(3 * DAY).toISOString(), preexisting: false } }),
    until: at(3 * DAY),
    texts: [
      "Acme Alerts: You're booked for Fri, Mar 13 at 1:00 PM. To change it, call +14155550100 or visit <link>. Reply STOP to opt out.",
      'Acme Alerts: Reminder, your appointment is tomorrow at 1:00 PM. Need to change it? Reschedule: <link>. Reply STOP to opt out.',
      'Acme Alerts: See you in 1 hour, at 1:00 PM. Reply STOP to opt out.',
    ],
  },
  {
    key: 'birthday',
    name: 'seed 002: birthday greeting on the day',
    attributes: { birthday: '1990-03-10' },
    trigger: (c) => c.hub.get(ScheduledEventScanner).scan().then(() => settle(c.hub)),
    texts: ["Acme Alerts: Happy birthday, Sam! Here's 20% off anything this week with code BDAY20. Reply STOP to opt out."],
  },
  {
    key: 'customer-feedback',
    name: 'seed 002: rating request after delivery; a 5 gets the review link',
    trigger: (c) => c.emit('order.delivered', { correlation: { orderId: 'o-fb' }, data: { orderName: '#2001', reviewUrl: 'https://acme.test/review' } }),
    until: at(3 * DAY),
    texts: ['Acme Alerts: How did we do with your order? Reply with a number from 1 (poor) to 5 (great). Reply STOP to opt out.', 'Acme Alerts: Thank you! Would you share that in a review? <link>'],
    after: async (c) => {
      await c.hub.get(InboundSmsService).receive(c.kit.ws.id, { provider: 'http', providerMessageId: `fb-${c.contact.id}`, from: c.contact.phone!, to: null, body: '5' });
      await settle(c.hub);
    },
  },
  {
    key: 'delivery-notice',
    name: 'seed 003: delivered',
    trigger: (c) => c.emit('order.delivered', { correlation: { orderId: 'o-dn' }, data: { orderName: '#2002' } }),
    texts: ["Acme Alerts: Your order #2002 was delivered. Not there? Reply to this text and we'll help. Reply STOP to opt out."],
  },
  {
    key: 'engagement-visibility',
    name: 'seed 000: a week after the visit, a public review request',
    trigger: (c) => c.emit('appointment.completed', { correlation: { appointmentId: 'appt-ev' }, data: { appointmentId: 'appt-ev', status: 'completed', reviewUrl: 'https://acme.test/review' } }),
    until: at(7 * DAY),
    texts: ['Acme Alerts: Sam, enjoyed your experience? A quick review helps others find us: <link> Thank you! Reply STOP to opt out.'],
  },
  {
    key: 'event-reminder',
    name: 'seed 002: registration, the day before, one hour before',
    trigger: async (c) => {
      const data = { eventName: 'Spring Gala', startsAt: at(2 * DAY + 5 * HOUR).toISOString(), venue: 'Main Hall' };
      await c.hub.http().post(`/v1/flows/${c.flowId}/enroll`).set('Authorization', await c.kit.auth('marketing')).send({ contactIds: [c.contact.id], data }).expect(200);
      await settle(c.hub);
    },
    until: at(2 * DAY + 5 * HOUR),
    texts: ["Acme Alerts: You're registered for Spring Gala on Thu, Mar 12 at 6:00 PM at Main Hall.", 'Acme Alerts: Spring Gala is tomorrow at 6:00 PM.', 'Acme Alerts: Spring Gala starts in 1 hour at Main Hall.'],
    after: async (c) => {
      const last = (await c.kit.outbound(c.contact.id)).find((m) => m.body.includes('starts in 1 hour'));
      expect(last?.created_at.toISOString()).toBe(at(2 * DAY + 4 * HOUR).toISOString());
    },
  },
  {
    key: 'flash-sale',
    name: 'seed 002: announcement, last call 20 hours later',
    trigger: async (c) => {
      const data = { saleName: 'Spring flash sale', code: 'SPRING30', url: 'https://acme.test/sale' };
      await c.hub.http().post(`/v1/flows/${c.flowId}/enroll`).set('Authorization', await c.kit.auth('marketing')).send({ contactIds: [c.contact.id], data }).expect(200);
      await settle(c.hub);
    },
    until: at(20 * HOUR),
    texts: ['Acme Alerts: Spring flash sale starts now - 24 hours only! Use code SPRING30 at <link> Reply STOP to opt out.', 'Acme Alerts: Last call - Spring flash sale ends in 4 hours. Code SPRING30.'],
  },
  {
    key: 'help-reply',
    name: 'seed 003: HELP answered by the flow',
    trigger: async (c) => {
      await c.hub.get(InboundSmsService).receive(c.kit.ws.id, { provider: 'http', providerMessageId: `help-${c.contact.id}`, from: c.contact.phone!, to: null, body: 'help' });
      await settle(c.hub);
    },
    texts: ['Acme Alerts: Help is at help@acme.test or +14155550100. Msg&data rates may apply. Reply STOP to cancel.'],
    alsoOthers: true,
  },
  {
    key: 'lead-nurture',
    name: 'seed 002: introduction, follow-up, invitation to book',
    trigger: (c) => c.emit('lead.created', { correlation: { leadId: 'lead-1' } }),
    until: at(6 * DAY),
    texts: [
      'Acme Alerts: Hi Sam, thanks for your interest! Reply here with any question and a specialist will answer. Reply STOP to opt out.',
      'Acme Alerts: Customers like you usually start with our most popular plan. Want a quick comparison? Just reply YES.',
      'Acme Alerts: Would a 15-minute call help you decide? Pick a time that suits you: https://acme.test/help',
    ],
  },
  {
    key: 'loyalty',
    name: 'seed 002: the fifth order makes a VIP',
    trigger: (c) => c.emit('order.created', { correlation: { orderId: 'o-vip' }, data: { orderName: '#2005', customerOrderCount: 5 } }),
    texts: ["Acme Alerts: Sam, that's order number 5 - you're now a VIP! Enjoy 15% off every order with code VIP15. Reply STOP to opt out."],
    after: async (c) => {
      const [row] = await c.hub.dataSource.query(`SELECT attributes FROM contact WHERE id = $1`, [c.contact.id]);
      expect(row.attributes.loyaltyTier).toBe('VIP');
    },
  },
  {
    key: 'optout-confirmation',
    name: 'seed 003: the opt-out confirmation',
    trigger: async (c) => {
      await c.hub.get(ConsentService).record(c.kit.ws.id, { contactId: c.contact.id, types: ['marketing'], state: 'opted_out', source: 'api', evidence: { test: 'optout' } });
      await settle(c.hub);
    },
    texts: ['Acme Alerts: You have been unsubscribed and will receive no further text messages from this program. Reply HELP for help.'],
  },
  {
    key: 'order-confirmation',
    name: 'seed 003: order placed',
    trigger: (c) => c.emit('order.created', { correlation: { orderId: 'o-oc' }, data: { orderName: '#2006' } }),
    texts: ["Acme Alerts: Thanks for your order #2006! We'll text you when it ships. Reply STOP to opt out."],
  },
  {
    key: 'post-purchase-review',
    name: 'seed 002: thanks the next day, a review request a week later',
    trigger: (c) => c.emit('order.created', { correlation: { orderId: 'o-ppr' }, data: { orderName: '#2007', reviewUrl: 'https://acme.test/review' } }),
    until: at(8 * DAY),
    texts: ['Acme Alerts: Thank you for your order #2007, Sam! Questions? Just reply to this text. Reply STOP to opt out.', 'Acme Alerts: How are you liking your purchase? A quick review helps other shoppers: <link>'],
  },
  {
    key: 'post-service-follow-up',
    name: 'seed 003: two hours after a completed appointment',
    trigger: (c) => c.emit('appointment.completed', { correlation: { appointmentId: 'appt-ps' }, data: { appointmentId: 'appt-ps', status: 'completed' } }),
    until: at(2 * HOUR),
    texts: ['Acme Alerts: Thanks for visiting us today, Sam! How did everything go? Reply here with any question or feedback. Reply STOP to opt out.'],
  },
  {
    key: 'post-service-follow-up',
    name: 'seed 003: the day after an order is delivered',
    trigger: (c) => c.emit('order.delivered', { correlation: { orderId: 'o-ps' }, data: { orderName: '#2008', shipmentStatus: 'delivered' } }),
    until: at(DAY),
    texts: ["Acme Alerts: Your order #2008 arrived yesterday - is everything as expected? Reply here if anything is wrong and we'll fix it. Reply STOP to opt out."],
  },
  {
    key: 'shipping-update',
    name: 'seed 003: shipped with tracking',
    trigger: (c) => c.emit('order.shipped', { correlation: { orderId: 'o-su' }, data: { orderName: '#2009', trackingUrl: 'https://track.example/1Z999' } }),
    texts: ['Acme Alerts: Your order #2009 is on its way! Track it: <link> Reply STOP to opt out.'],
  },
  {
    key: 'website-lead-welcome',
    name: 'seed 003 flow 1: a website lead gets a booking link',
    trigger: (c) => c.emit('form.submitted', { correlation: { formId: 'contact-us' }, data: { formId: 'contact-us', bookingUrl: 'https://acme.test/book' } }),
    texts: ['Acme Alerts: Hi Sam, thanks for reaching out! Book a time that suits you: <link> Reply STOP to opt out.'],
  },
  {
    key: 'welcome-series',
    name: 'seed 002: three texts over five days after a marketing opt-in',
    optedIn: false,
    trigger: async (c) => {
      await c.hub.get(ConsentService).record(c.kit.ws.id, { contactId: c.contact.id, types: ['marketing', 'transactional'], state: 'opted_in', source: 'web_form', evidence: { form: 'templates' } });
      await settle(c.hub);
    },
    until: at(5 * DAY),
    texts: [
      'Acme Alerts: Welcome, Sam! Thanks for joining our texts. Expect early access and members-only offers. Msg freq varies. Reply HELP for help, STOP to opt out.',
      'Acme Alerts: Tip - reply to any of our texts to reach a real person on our team. We read every message.',
      "Acme Alerts: As a thank-you, here's 10% off your first order with code WELCOME10. Shop: https://acme.test/help",
    ],
  },
  {
    key: 'win-back',
    name: 'seed 002: an offer 90 days after the last order, a last chance a week later',
    attributes: { lastOrderAt: new Date(START.getTime() - 91 * DAY).toISOString() },
    trigger: (c) => c.hub.get(ScheduledEventScanner).scan().then(() => settle(c.hub)),
    until: at(7 * DAY),
    texts: ['Acme Alerts: We miss you, Sam! Come back for 15% off with code COMEBACK15 this week. Reply STOP to opt out.', 'Acme Alerts: Last chance - your 15% off (COMEBACK15) ends tonight.'],
  },
];

describe('built-in flow templates, end to end through the gateway', () => {
  let hub: TestHub;
  let phones = 0;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(START);
  });
  afterAll(() => hub?.close());

  it('has a case for every built-in template but the opt-in ones', async () => {
    const ws = await hub.createWorkspace();
    const res = await hub.http().get('/v1/flow-templates').set('Authorization', `Bearer ${ws.adminKey}`).expect(200);
    const keys = (res.body.data ?? res.body).map((t: { key: string }) => t.key).filter((k: string) => !k.startsWith('optin-'));
    expect([...new Set(CASES.map((c) => c.key))].sort()).toEqual([...keys].sort());
  });

  it.each(CASES.map((c) => [`${c.key}: ${c.name}`, c] as const))('%s', async (_title, c) => {
    hub.manualClock.set(START);
    const ws = await hub.createWorkspace({ name: `T ${c.key}`, supportPhone: '+14155550100', supportUrl: 'https://acme.test/help' });
    const kit = new FlowKit(hub, ws);
    const flowId = await kit.activeTemplate(c.key);
    const phone = `+1312555${String(2000 + ++phones)}`;
    const contact = await kit.contact(phone, { firstName: 'Sam', timeZone: 'America/Chicago', attributes: c.attributes ?? {} });
    if (c.optedIn !== false) await kit.optIn(contact.id);
    const ctx: CaseContext = {
      kit,
      hub,
      contact,
      flowId,
      emit: async (type, fields = {}) => {
        await kit.emit([{ type: type as never, dedupeKey: `${c.key}-${type}-${phone}`, contact: { phone, firstName: 'Sam' }, correlation: fields.correlation ?? {}, data: fields.data ?? {} }]);
      },
    };
    const provided = () =>
      hub
        .get(ConsoleSmsProvider)
        .outbox({ workspaceId: ws.id, to: phone })
        .map((s) => s.body.replace(LINK, '<link>'));

    await c.trigger(ctx);
    if (c.until) await kit.runUntil(c.until);
    if (c.after && c.key === 'customer-feedback') {
      // The rating is the contact's reply to the question, once it went out.
      await waitFor('the question', async () => provided().length >= 1);
      await c.after(ctx, provided());
    }
    const sent = await waitFor(`${c.texts.length} texts from ${c.key}`, async () => {
      const texts = provided();
      const matched = c.alsoOthers ? c.texts.every((t) => texts.some((s) => s.includes(t))) : texts.length >= c.texts.length;
      return matched ? texts : null;
    });
    if (c.alsoOthers) {
      for (const text of c.texts) expect(sent).toEqual(expect.arrayContaining([expect.stringContaining(text)]));
    } else {
      expect(sent).toHaveLength(c.texts.length);
      sent.forEach((body, i) => expect(body).toContain(c.texts[i]));
      // The flow's texts went out, not merely queued: each is `sent` in the log.
      const rows = await kit.outbound(contact.id);
      expect(rows.filter((r) => r.status === 'sent')).toHaveLength(c.texts.length);
    }
    if (c.after && c.key !== 'customer-feedback') await c.after(ctx, sent);
  });
});
