import { FlowKit } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub } from '../utils/test-hub';

/** 11:00 in Chicago. */
const START = new Date('2026-03-10T17:00:00Z');

describe('flow runs: built-in flows end to end, exits, reschedules, duplicates, the simulator', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub.close());

  async function freshKit(): Promise<FlowKit> {
    hub.manualClock.set(START);
    return new FlowKit(hub, await hub.createWorkspace());
  }

  it('abandoned cart: the exact nudges 1 h and 24 h later, and the run timeline', async () => {
    const kit = await freshKit();
    const flowId = await kit.activeTemplate('abandoned-cart');
    const dana = await kit.contact('+13125550160', { firstName: 'Dana', timeZone: 'America/Chicago' });
    await kit.optIn(dana.id);
    await kit.emit([
      { type: 'checkout.updated', dedupeKey: 'chk-1', contact: { phone: dana.phone! }, correlation: { checkoutToken: 'abc' }, data: { checkoutUrl: 'https://acme.test/c/abc' } },
    ]);
    const [run] = await kit.runsOf(flowId);
    expect(run).toMatchObject({ status: 'waiting', step_id: 'wait-1h', wake_at: new Date('2026-03-10T18:00:00Z') });
    expect(await kit.outbound(dana.id)).toEqual([]);

    await kit.runUntil('2026-03-10T18:00:00Z');
    await kit.runUntil('2026-03-11T18:00:00Z');
    const sent = await kit.outbound(dana.id);
    // The recovery URL goes out as a branded short link that redirects to it.
    const short = /https:\/\/hub\.optline\.test\/l\/([A-Za-z0-9]{8})/;
    expect(sent.map((m) => [m.created_at.toISOString(), m.status, m.body.replace(short, '<link>')])).toEqual([
      ['2026-03-10T18:00:00.000Z', 'sent', 'Acme Alerts: Dana, you left something in your cart. Finish checking out here: <link> Reply STOP to opt out.'],
      // The gateway adds the workspace's opt-out footer to a marketing text without one.
      ['2026-03-11T18:00:00.000Z', 'sent', 'Acme Alerts: Your cart is still saved, but items sell out. Complete your order: <link>\nReply STOP to opt out.'],
    ]);
    for (const message of sent) {
      const code = short.exec(message.body)![1];
      const redirect = await kit.hub.http().get(`/l/${code}`).expect(302);
      expect(redirect.headers.location).toBe('https://acme.test/c/abc');
    }
    expect(sent.map((m) => m.idempotency_key)).toEqual([`run:${run.id}:nudge-1`, `run:${run.id}:nudge-2`]);

    const timeline = await kit.run(run.id);
    expect(timeline.status).toBe('completed');
    expect(timeline.timeline.map((l: any) => `${l.at} ${l.stepId ?? '-'} ${l.outcome}`)).toEqual([
      '2026-03-10T17:00:00.000Z - enrolled',
      '2026-03-10T17:00:00.000Z wait-1h waiting',
      '2026-03-10T18:00:00.000Z wait-1h waited',
      '2026-03-10T18:00:00.000Z nudge-1 sent',
      '2026-03-10T18:00:00.000Z wait-24h waiting',
      '2026-03-11T18:00:00.000Z wait-24h waited',
      '2026-03-11T18:00:00.000Z nudge-2 sent',
      '2026-03-11T18:00:00.000Z - completed',
    ]);
    expect(timeline.timeline[3].message).toMatchObject({ id: sent[0].id, status: 'sent' });
  });

  it('abandoned cart: the order with the same checkout token ends the run, another token does not', async () => {
    const kit = await freshKit();
    const flowId = await kit.activeTemplate('abandoned-cart');
    const dana = await kit.contact('+13125550161', { firstName: 'Dana', timeZone: 'America/Chicago' });
    const lee = await kit.contact('+13125550162', { firstName: 'Lee', timeZone: 'America/Chicago' });
    await kit.optIn(dana.id);
    await kit.optIn(lee.id);
    await kit.emit([
      { type: 'checkout.updated', dedupeKey: 'chk-d', contact: { phone: dana.phone! }, correlation: { checkoutToken: 'tok-d' }, data: { checkoutUrl: 'https://acme.test/c/d' } },
      { type: 'checkout.updated', dedupeKey: 'chk-l', contact: { phone: lee.phone! }, correlation: { checkoutToken: 'tok-l' }, data: { checkoutUrl: 'https://acme.test/c/l' } },
    ]);
    await kit.advance('PT20M');
    await kit.emit([
      // Dana orders (the order carries her checkout token); Lee orders something else entirely.
      { type: 'order.created', dedupeKey: 'ord-1', contact: { phone: dana.phone! }, correlation: { orderId: '1001', checkoutToken: 'tok-d' }, data: { orderName: '#1001' } },
      { type: 'order.created', dedupeKey: 'ord-2', contact: { phone: lee.phone! }, correlation: { orderId: '1002', checkoutToken: 'tok-other' }, data: { orderName: '#1002' } },
    ]);
    await kit.runUntil('2026-03-11T19:00:00Z');

    expect(await kit.outbound(dana.id)).toEqual([]);
    expect((await kit.outbound(lee.id)).map((m) => m.created_at.toISOString())).toEqual(['2026-03-10T18:00:00.000Z', '2026-03-11T18:00:00.000Z']);
    const runs = await kit.runsOf(flowId);
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => [r.contact_id, r.status, r.exit_reason])).toEqual(
      expect.arrayContaining([
        [dana.id, 'exited', 'exit event order.created'],
        [lee.id, 'completed', null],
      ]),
    );
    const danaRun = await kit.run(runs.find((r) => r.contact_id === dana.id)!.id);
    expect(danaRun.timeline.at(-1)).toMatchObject({ at: '2026-03-10T17:20:00.000Z', outcome: 'exited', detail: expect.objectContaining({ event: 'order.created' }) });
  });

  it('appointment reminder: 24 h and 1 h before; a reschedule moves them; a cancellation sends none', async () => {
    const kit = await freshKit();
    hub.manualClock.set('2026-03-10T15:00:00Z'); // 10:00 in Chicago
    const flowId = await kit.activeTemplate('appointment-reminder');
    const ana = await kit.contact('+13125550163', { firstName: 'Ana', timeZone: 'America/Chicago' });
    const ben = await kit.contact('+13125550164', { firstName: 'Ben', timeZone: 'America/Chicago' });
    await kit.optIn(ana.id);
    await kit.optIn(ben.id);
    const booking = (type: 'appointment.booked' | 'appointment.rescheduled' | 'appointment.cancelled', key: string, who: typeof ana, appointmentId: string, startsAt?: string) => ({
      type,
      dedupeKey: key,
      contact: { phone: who.phone! },
      correlation: { appointmentId },
      data: { appointmentId, ...(startsAt && { startsAt }) },
    });
    await kit.emit([booking('appointment.booked', 'b-1', ana, 'apt-1', '2026-03-12T20:30:00Z'), booking('appointment.booked', 'b-2', ben, 'apt-2', '2026-03-12T21:00:00Z')]);

    await kit.runUntil('2026-03-11T20:30:00Z'); // Ana's 24 h reminder
    await kit.emit([booking('appointment.cancelled', 'c-2', ben, 'apt-2')]);
    // Ana moves her appointment to Friday 11:00 (Chicago).
    await kit.emit([booking('appointment.rescheduled', 'r-1', ana, 'apt-1', '2026-03-13T16:00:00Z')]);
    await kit.runUntil('2026-03-14T00:00:00Z');

    expect((await kit.outbound(ana.id)).map((m) => [m.created_at.toISOString(), m.body])).toEqual([
      ['2026-03-10T15:00:00.000Z', "Acme Alerts: You're booked for Thu, Mar 12 at 3:30 PM. To change it, reply to this text. Reply STOP to opt out."],
      // Same instant: the old run's 24 h reminder, then the reschedule's new confirmation.
      ['2026-03-11T20:30:00.000Z', 'Acme Alerts: Reminder, your appointment is tomorrow at 3:30 PM. Need to change it? Reply to this text. Reply STOP to opt out.'],
      ['2026-03-11T20:30:00.000Z', "Acme Alerts: You're booked for Fri, Mar 13 at 11:00 AM. To change it, reply to this text. Reply STOP to opt out."],
      ['2026-03-12T16:00:00.000Z', 'Acme Alerts: Reminder, your appointment is tomorrow at 11:00 AM. Need to change it? Reply to this text. Reply STOP to opt out.'],
      ['2026-03-13T15:00:00.000Z', 'Acme Alerts: See you in 1 hour, at 11:00 AM. Reply STOP to opt out.'],
    ]);
    // Ben cancelled before any reminder: only the booking confirmation ever went out.
    expect((await kit.outbound(ben.id)).map((m) => m.created_at.toISOString())).toEqual(['2026-03-10T15:00:00.000Z']);
    const runs = await kit.runsOf(flowId);
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => [r.contact_id, r.status, r.exit_reason])).toEqual(
      expect.arrayContaining([
        [ana.id, 'exited', 'exit event appointment.rescheduled'],
        [ben.id, 'exited', 'exit event appointment.cancelled'],
        [ana.id, 'completed', 'reminders finished'],
      ]),
    );
  });

  it('enrols once for a duplicate trigger event, and once for several events of the same checkout', async () => {
    const kit = await freshKit();
    // Re-entry "always": only the one-live-run-per-checkout rule stands between the events and a second run.
    const template = (await hub.http().get('/v1/flow-templates/abandoned-cart').set('Authorization', await kit.auth()).expect(200)).body.definition;
    const created = await hub.http().post('/v1/flows').set('Authorization', await kit.auth()).send({ ...template, reentry: { mode: 'always' } }).expect(201);
    await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', await kit.auth()).expect(200);
    const flowId = created.body.id as string;
    const dana = await kit.contact('+13125550165', { timeZone: 'America/Chicago' });
    const event = { type: 'checkout.updated' as const, dedupeKey: 'dup-1', contact: { phone: dana.phone! }, correlation: { checkoutToken: 'tok-dup' }, data: { checkoutUrl: 'https://acme.test/c/dup' } };
    expect(await kit.emit([event])).toEqual({ stored: 1, duplicates: 0 });
    expect(await kit.emit([event])).toEqual({ stored: 0, duplicates: 1 });
    // The same checkout updated again (new event ids), some of them at the same instant.
    await Promise.all([2, 3, 4, 5].map((n) => kit.emit([{ ...event, dedupeKey: `dup-${n}` }])));
    const runs = await kit.runsOf(flowId);
    expect(runs).toHaveLength(1);
    const outcomes = await hub.dataSource.query(`SELECT outcome->'consumers'->'flows' AS flows FROM trigger_event WHERE workspace_id = $1 AND dedupe_key <> 'dup-1'`, [kit.ws.id]);
    expect(outcomes.map((o: any) => o.flows)).toEqual(Array(4).fill({ ended: [], started: [], skipped: [{ flowId, reason: 'already_running' }] }));
  });

  it('the simulator predicts exactly what the real run then does', async () => {
    const kit = await freshKit();
    hub.manualClock.set('2026-03-10T15:00:00Z');
    const flowId = await kit.activeTemplate('appointment-reminder');
    const ana = await kit.contact('+13125550166', { firstName: 'Ana', timeZone: 'America/Chicago' });
    await kit.optIn(ana.id);
    const event = { appointmentId: 'apt-sim', startsAt: '2026-03-11T16:00:00Z' }; // tomorrow 11:00: the 24 h reminder is already due now
    const simulated = await hub
      .http()
      .post(`/v1/flows/${flowId}/simulate`)
      .set('Authorization', await kit.auth('support'))
      .send({ contactId: ana.id, event, correlation: { appointmentId: 'apt-sim' }, startAt: '2026-03-10T15:00:00Z' })
      .expect(200);
    expect(simulated.body.status).toBe('completed');
    expect(await kit.outbound(ana.id)).toEqual([]); // nothing was sent by simulating

    await kit.emit([{ type: 'appointment.booked', dedupeKey: 'sim-1', contact: { phone: ana.phone! }, correlation: { appointmentId: 'apt-sim' }, data: event }]);
    await kit.runUntil('2026-03-12T00:00:00Z');
    const [run] = await kit.runsOf(flowId);
    const real = await kit.run(run.id);
    const shape = (lines: any[]) => lines.map((l) => ({ at: l.at, stepId: l.stepId, outcome: l.outcome, body: l.detail?.body ?? null }));
    expect(shape(simulated.body.timeline)).toEqual(shape(real.timeline));
    expect(simulated.body.messages.map((m: any) => [m.submittedAt, m.body])).toEqual(
      (await kit.outbound(ana.id)).map((m) => [m.created_at.toISOString(), m.body]),
    );
  });
});
