import { checkFlow } from '../definition/flow-validator';
import { simulateFlow } from '../simulator/flow-simulator';
import { earliestSendInstant } from '@optline/messaging';
import { loadFlowTemplates } from './flow-template.catalog';

const workspace = {
  id: 'ws',
  name: 'Acme Inc.',
  brandName: 'Acme Alerts',
  supportEmail: 'help@acme.test',
  supportPhone: '+14155550100',
  supportUrl: 'https://acme.test/help',
  timeZone: 'America/New_York',
};
const contact = { id: 'c1', firstName: 'Dana', lastName: 'Reyes', phone: '+13125550142', email: null, timeZone: 'America/Chicago', attributes: {} };
const window = { start: '08:00', end: '21:00', exemptTransactional: true };
const sendTimeOf = (at: Date, type: string, zone: string) => earliestSendInstant(at, type, [zone], window, null) ?? at;

describe('built-in flow templates', () => {
  const templates = loadFlowTemplates();
  const byKey = (key: string) => templates.find((t) => t.key === key)!.definition;

  it('cover every flow the issue lists, each passing validation and the compliance lint', () => {
    expect(templates.map((t) => t.key).sort()).toEqual(
      [
        'abandoned-cart',
        'anniversary',
        'appointment-reminder',
        'birthday',
        'customer-feedback',
        'delivery-notice',
        'engagement-visibility',
        'event-reminder',
        'flash-sale',
        'help-reply',
        'lead-nurture',
        'loyalty',
        'optin-sms-keyword',
        'optin-website-double',
        'optout-confirmation',
        'order-confirmation',
        'post-purchase-review',
        'post-service-follow-up',
        'shipping-update',
        'website-lead-welcome',
        'welcome-series',
        'win-back',
      ].sort(),
    );
    for (const template of templates) expect([template.key, checkFlow(template.definition, { brandName: 'Acme Alerts' })]).toEqual([template.key, []]);
  });

  it('each template states its purpose, audience, message and success metric (seed 003) on the flow document', () => {
    for (const template of templates) {
      const brief = template.definition.brief;
      expect([template.key, brief && Object.keys(brief).sort()]).toEqual([template.key, ['audience', 'message', 'purpose', 'successMetric']]);
      for (const value of Object.values(brief!)) expect(value.trim().length).toBeGreaterThan(10);
    }
  });

  it('abandoned cart: nudges after 1 h and 24 h more, in the quiet-hours window', async () => {
    const result = await simulateFlow({
      flowId: 'f',
      definition: byKey('abandoned-cart'),
      workspace,
      contact,
      consent: { marketing: 'opted_in' },
      event: { checkoutUrl: 'https://acme.test/c/abc' },
      correlation: { checkoutToken: 'abc' },
      startAt: new Date('2026-03-10T19:30:00Z'), // 14:30 in Chicago
      sendTimeOf,
    });
    expect(result.messages).toEqual([
      {
        stepId: 'nudge-1',
        type: 'marketing',
        body: 'Acme Alerts: Dana, you left something in your cart. Finish checking out here: https://acme.test/c/abc Reply STOP to opt out.',
        submittedAt: '2026-03-10T20:30:00.000Z',
        sendAt: '2026-03-10T20:30:00.000Z',
      },
      {
        stepId: 'nudge-2',
        type: 'marketing',
        body: 'Acme Alerts: Your cart is still saved, but items sell out. Complete your order: https://acme.test/c/abc',
        submittedAt: '2026-03-11T20:30:00.000Z',
        sendAt: '2026-03-11T20:30:00.000Z',
      },
    ]);
    expect(result.status).toBe('completed');
  });

  it("abandoned cart: waits for the store's own abandonment time when the event carries it", async () => {
    const result = await simulateFlow({
      flowId: 'f',
      definition: byKey('abandoned-cart'),
      workspace,
      contact,
      consent: {},
      event: { checkoutUrl: 'https://acme.test/c/abc', recoverAt: '2026-03-10T21:30:00Z' },
      correlation: { checkoutToken: 'abc' },
      startAt: new Date('2026-03-10T19:30:00Z'),
      sendTimeOf,
    });
    expect(result.messages.map((m) => [m.stepId, m.submittedAt])).toEqual([
      ['nudge-1', '2026-03-10T21:30:00.000Z'],
      ['nudge-2', '2026-03-11T21:30:00.000Z'],
    ]);
  });

  it('abandoned cart: an order with the same checkout token ends the run before the first nudge', async () => {
    const result = await simulateFlow({
      flowId: 'f',
      definition: byKey('abandoned-cart'),
      workspace,
      contact,
      consent: { marketing: 'opted_in' },
      event: { checkoutUrl: 'https://acme.test/c/abc' },
      correlation: { checkoutToken: 'abc' },
      startAt: new Date('2026-03-10T19:30:00Z'),
      events: [
        { at: new Date('2026-03-10T19:40:00Z'), type: 'order.created', correlation: { checkoutToken: 'other' } },
        { at: new Date('2026-03-10T19:50:00Z'), type: 'order.created', correlation: { checkoutToken: 'abc' } },
      ],
      sendTimeOf,
    });
    expect(result.messages).toEqual([]);
    expect(result.status).toBe('exited');
    expect(result.endedAt).toBe('2026-03-10T19:50:00.000Z');
  });

  it('appointment reminder: 24 h and 1 h before, skipping the 24 h one when booked late', async () => {
    const base = {
      flowId: 'f',
      definition: byKey('appointment-reminder'),
      workspace,
      contact,
      consent: {},
      event: { startsAt: '2026-03-12T20:30:00Z' },
      correlation: { appointmentId: 'a1' },
      sendTimeOf,
    };
    const early = await simulateFlow({ ...base, startAt: new Date('2026-03-10T15:00:00Z') });
    expect(early.messages.map((m) => [m.stepId, m.submittedAt, m.body])).toEqual([
      ['confirm', '2026-03-10T15:00:00.000Z', "Acme Alerts: You're booked for Thu, Mar 12 at 3:30 PM. To change it, call +14155550100 or visit https://acme.test/help. Reply STOP to opt out."],
      ['remind-24h', '2026-03-11T20:30:00.000Z', 'Acme Alerts: Reminder, your appointment is tomorrow at 3:30 PM. Need to change it? Reschedule: https://acme.test/help. Reply STOP to opt out.'],
      ['remind-1h', '2026-03-12T19:30:00.000Z', 'Acme Alerts: See you in 1 hour, at 3:30 PM. Reply STOP to opt out.'],
    ]);
    const late = await simulateFlow({ ...base, startAt: new Date('2026-03-12T12:00:00Z') });
    expect(late.messages.map((m) => m.stepId)).toEqual(['confirm', 'remind-1h']);
    expect(late.timeline.find((e) => e.stepId === 'wait-24h')).toMatchObject({ outcome: 'skipped' });
  });

  it('website double opt-in: YES moves to Opted-In, N or STOP to Opted-Out, silence leaves the person where they were', async () => {
    const base = {
      flowId: 'f',
      definition: byKey('optin-website-double'),
      workspace,
      contact,
      consent: { marketing: 'pending' },
      event: {},
      correlation: {},
      enrolledGroupId: 'g-original',
      startAt: new Date('2026-03-10T15:00:00Z'),
      sendTimeOf,
    };
    const steps = (r: Awaited<ReturnType<typeof simulateFlow>>) => r.timeline.filter((e) => e.stepId).map((e) => `${e.stepId}:${e.outcome}`);
    const yes = await simulateFlow({ ...base, replies: [{ at: new Date('2026-03-10T15:05:00Z'), body: 'Yes', keyword: 'yes' }] });
    expect(steps(yes)).toEqual([
      'invite:sent',
      'answer:waiting_for_reply',
      'answer:replied',
      'opted-in:consent_recorded',
      'to-opted-in:follows_consent',
      'leave-original-yes:removed',
      'mark-y:attribute_set',
      'finished:exited',
    ]);
    const stop = await simulateFlow({ ...base, replies: [{ at: new Date('2026-03-10T16:00:00Z'), body: 'STOP', keyword: 'stop' }] });
    expect(steps(stop)).toContain('to-opted-out:follows_consent');
    expect(stop.messages.map((m) => m.stepId)).toEqual(['invite']);
    const no = await simulateFlow({ ...base, replies: [{ at: new Date('2026-03-10T16:00:00Z'), body: 'N', keyword: null }] });
    expect(steps(no).slice(3)).toEqual(['declined:consent_recorded', 'to-opted-out:follows_consent', 'leave-original-no:removed', 'mark-n:attribute_set', 'finished:exited']);
    const silence = await simulateFlow(base);
    expect(steps(silence).slice(-3)).toEqual(['answer:timed_out', 'no-answer:attribute_set', 'finished:exited']);
    expect(silence.endedAt).toBe('2026-03-13T15:00:00.000Z');
  });

  it('defers a marketing message submitted at night to 08:00 in the recipient zone', async () => {
    const result = await simulateFlow({
      flowId: 'f',
      definition: byKey('birthday'),
      workspace,
      contact,
      consent: {},
      event: { attribute: 'birthday' },
      correlation: {},
      startAt: new Date('2026-03-10T05:00:00Z'), // 23:00 in Chicago
      sendTimeOf,
    });
    expect(result.messages[0]).toMatchObject({ submittedAt: '2026-03-10T05:00:00.000Z', sendAt: '2026-03-10T13:00:00.000Z' });
  });
});
