import { ManualClock } from '@optline/core';
import { FlowMaintenance } from '@optline/flows';
import { InboundSmsService } from '@optline/messaging';
import { CalendarScenario, eventually } from '../fakes/google-calendar-harness';
import { FakeGoogleCalendar } from '../fakes/google-calendar.fake';
import { TestHub } from '../utils/test-hub';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Sunday 22 Nov 2026, 10:00 in New York. */
const START = '2026-11-22T15:00:00.000Z';
/** Wednesday 25 Nov 2026, 10:00 in New York: three days out. */
const WEDNESDAY_10AM = new Date('2026-11-25T15:00:00.000Z');

interface SentMessage {
  id: string;
  body: string;
  status: string;
  contactId: string;
  createdAt: string;
  origin: { flowRunId?: string };
}

/**
 * The built-in appointment-reminder flow driven by the Google Calendar plugin, end to end:
 * fake Calendar API → push notification → sync job → stored events → flows → send gateway
 * (console provider). Time is the hub's ManualClock; the flows' due-work pass runs after each move.
 */
describe('Google Calendar appointments drive the reminder flow', () => {
  let hub: TestHub;
  let fake: FakeGoogleCalendar;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    hub = await TestHub.start({ clock });
    fake = await FakeGoogleCalendar.start({ now: () => clock.now() });
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.close();
  });
  beforeEach(() => clock.set(START));

  /** A calendar watched by a workspace whose appointment-reminder flow is active. */
  async function practice(): Promise<CalendarScenario> {
    const s = await CalendarScenario.start(hub, fake);
    const created = await hub.http().post('/v1/flows/from-template').set('Authorization', s.admin).send({ templateKey: 'appointment-reminder' }).expect(201);
    await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', s.admin).expect(200);
    return s;
  }

  /** Outbound messages, oldest first; `flowsOnly` leaves out the gateway's own (disclaimers, opt-in requests). */
  async function sent(s: CalendarScenario, flowsOnly = false): Promise<SentMessage[]> {
    const res = await hub.http().get('/v1/messages').query({ direction: 'outbound' }).set('Authorization', s.admin).expect(200);
    return (res.body.data as SentMessage[]).filter((m) => !flowsOnly || m.origin?.flowRunId).reverse();
  }

  /** Waits until the workspace has sent exactly `count` messages (all handed to the provider). */
  function sentCount(s: CalendarScenario, count: number, flowsOnly = false): Promise<SentMessage[]> {
    return eventually(async () => {
      const list = await sent(s, flowsOnly);
      return list.length === count && list.every((m) => m.status === 'sent') ? list : undefined;
    }, `${count} sent messages`);
  }

  /** All stored events of the scenario dispatched (flows enrolled or exited). */
  function dispatched(s: CalendarScenario) {
    return eventually(async () => {
      const rows = await s.events();
      return rows.length > 0 && rows.every((r) => r.status !== 'received') ? rows : undefined;
    }, 'calendar events to be dispatched');
  }

  /** Moves the hub clock to `at` and runs the flows' due-work pass, as the worker's timer would. */
  async function moveTo(at: Date): Promise<void> {
    clock.set(at);
    await hub.get(FlowMaintenance).tick();
  }

  interface RunRow {
    status: string;
    step_id: string | null;
    wake_at: Date | null;
    exit_reason: string | null;
  }

  async function runs(s: CalendarScenario): Promise<RunRow[]> {
    return hub.dataSource.query('SELECT status, step_id, wake_at, exit_reason FROM flow_run WHERE workspace_id = $1 ORDER BY started_at', [s.ws.id]);
  }

  /**
   * Proves nothing more is sent: once every run is over or asleep until later (nothing due is
   * still running), the count is what it was.
   */
  async function stillSent(s: CalendarScenario, count: number, flowsOnly = false): Promise<void> {
    await eventually(async () => {
      const all = await runs(s);
      return all.every((r) => r.status !== 'active' && (r.status !== 'waiting' || (r.wake_at && r.wake_at.getTime() > clock.nowMs()))) || undefined;
    }, 'the runs to settle');
    expect(await sentCount(s, count, flowsOnly)).toHaveLength(count);
  }

  it('booking 3 days out: a confirmation now, reminders 24 h and 1 h before, at those instants', async () => {
    const s = await practice();
    fake.addEvent(s.calendarId, { start: WEDNESDAY_10AM, summary: 'Cleaning - Lena Park', phone: '+12125550178', attendee: { email: 'lena.park@example.com', displayName: 'Lena Park' } });
    await s.notifyAndSync();
    await dispatched(s);

    const [confirmation] = await sentCount(s, 1);
    expect(confirmation.body).toContain("You're booked for Wed, Nov 25 at 10:00 AM");
    expect(new Date(confirmation.createdAt).toISOString()).toBe(START);

    await moveTo(new Date(WEDNESDAY_10AM.getTime() - DAY - MINUTE));
    await stillSent(s, 1);
    await moveTo(new Date(WEDNESDAY_10AM.getTime() - DAY));
    const dayBefore = (await sentCount(s, 2))[1];
    expect(dayBefore.body).toContain('your appointment is tomorrow at 10:00 AM');
    expect(new Date(dayBefore.createdAt).getTime()).toBe(WEDNESDAY_10AM.getTime() - DAY);

    await moveTo(new Date(WEDNESDAY_10AM.getTime() - HOUR - MINUTE));
    await stillSent(s, 2);
    await moveTo(new Date(WEDNESDAY_10AM.getTime() - HOUR));
    const hourBefore = (await sentCount(s, 3))[2];
    expect(hourBefore.body).toContain('See you in 1 hour, at 10:00 AM');
    expect(new Date(hourBefore.createdAt).getTime()).toBe(WEDNESDAY_10AM.getTime() - HOUR);
    expect(new Set((await sent(s)).map((m) => m.contactId)).size).toBe(1);
  });

  it('an appointment already on the calendar when it is connected gets its reminders but no "you\'re booked" text', async () => {
    const s = await CalendarScenario.start(hub, fake, { enable: false });
    fake.addEvent(s.calendarId, { start: WEDNESDAY_10AM, phone: '+12125550177', attendee: null });
    const created = await hub.http().post('/v1/flows/from-template').set('Authorization', s.admin).send({ templateKey: 'appointment-reminder' }).expect(201);
    await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', s.admin).expect(200);
    await s.enable().expect(200);
    await s.initialSyncDone();
    await dispatched(s);
    await stillSent(s, 0);

    await moveTo(new Date(WEDNESDAY_10AM.getTime() - DAY));
    const [dayBefore] = await sentCount(s, 1);
    expect(dayBefore.body).toContain('your appointment is tomorrow at 10:00 AM');
    expect(dayBefore.body).not.toContain("You're booked");
  });

  it('booked at short notice: the reminders already past are skipped', async () => {
    const s = await practice();
    const soon = new Date(Date.parse(START) + 5 * HOUR);
    fake.addEvent(s.calendarId, { start: soon, phone: '+12125550111', attendee: null });
    await s.notifyAndSync();
    expect((await sentCount(s, 1))[0].body).toContain("You're booked for Sun, Nov 22 at 3:00 PM");
    await moveTo(new Date(soon.getTime() - HOUR - MINUTE));
    await stillSent(s, 1);
    await moveTo(new Date(soon.getTime() - HOUR));
    expect((await sentCount(s, 2))[1].body).toContain('See you in 1 hour, at 3:00 PM');
  });

  it('moving the appointment moves its reminders to the new time', async () => {
    const s = await practice();
    const event = fake.addEvent(s.calendarId, { start: WEDNESDAY_10AM, phone: '+12125550188', attendee: null });
    await s.notifyAndSync();
    await sentCount(s, 1);

    const thursday2pm = new Date('2026-11-26T19:00:00.000Z');
    await moveTo(new Date(Date.parse(START) + HOUR));
    fake.moveEvent(s.calendarId, event.id, thursday2pm);
    await s.notifyAndSync();
    await dispatched(s);
    const [, moved] = await sentCount(s, 2);
    expect(moved.body).toContain('Thu, Nov 26 at 2:00 PM');
    await eventually(async () => JSON.stringify((await runs(s)).map((r) => r.status)) === '["exited","waiting"]' || undefined, 'the old run to end and the new one to wait');

    // The old reminder instants pass in silence.
    await moveTo(new Date(WEDNESDAY_10AM.getTime() - DAY));
    await stillSent(s, 2);
    await moveTo(new Date(WEDNESDAY_10AM.getTime() - HOUR));
    await stillSent(s, 2);

    await moveTo(new Date(thursday2pm.getTime() - DAY));
    expect((await sentCount(s, 3))[2].body).toContain('tomorrow at 2:00 PM');
    // The run waits for the 1-hour instant before the clock jumps there; jumped first, the wait
    // would find its instant already past and skip the reminder, as it should in real time.
    await stillSent(s, 3);
    await moveTo(new Date(thursday2pm.getTime() - HOUR));
    expect((await sentCount(s, 4))[3].body).toContain('See you in 1 hour, at 2:00 PM');
  });

  it('cancelling the appointment sends no reminders', async () => {
    const s = await practice();
    const event = fake.addEvent(s.calendarId, { start: WEDNESDAY_10AM, phone: '+12125550177', attendee: null });
    await s.notifyAndSync();
    await sentCount(s, 1);

    fake.cancelEvent(s.calendarId, event.id);
    await s.notifyAndSync();
    const events = await dispatched(s);
    expect(events.map((e) => e.type)).toEqual(['appointment.booked', 'appointment.cancelled']);
    await eventually(async () => JSON.stringify((await runs(s)).map((r) => r.status)) === '["exited"]' || undefined, 'the run to end');

    await moveTo(new Date(WEDNESDAY_10AM.getTime() - DAY));
    await stillSent(s, 1);
    await moveTo(new Date(WEDNESDAY_10AM.getTime() - HOUR));
    await stillSent(s, 1);
  });

  /** The "reply C to confirm / R to reschedule" variant of the reminder flow, as a workspace would write it. */
  const replyVariant = {
    name: 'Appointment confirmation by reply',
    messageType: 'transactional',
    trigger: { events: ['appointment.booked', 'appointment.rescheduled'], correlationKey: 'appointmentId' },
    reentry: { mode: 'always' },
    exits: [
      { event: 'appointment.cancelled', correlationKey: 'appointmentId' },
      { event: 'appointment.rescheduled', correlationKey: 'appointmentId' },
    ],
    steps: [
      {
        id: 'ask',
        type: 'send',
        template: "{{ workspace.brandName }}: You're booked for {{ event.startsAt | localtime: \"ccc, LLL d 'at' h:mm a\" }}. Reply C to confirm or R to reschedule. Reply STOP to opt out.",
      },
      {
        id: 'answer',
        type: 'waitForReply',
        timeout: 'PT12H',
        onTimeout: 'wait-24h',
        routes: [
          { reply: 'keyword', keyword: 'C', next: 'confirmed' },
          { reply: 'keyword', keyword: 'R', next: 'reschedule' },
        ],
      },
      { id: 'confirmed', type: 'send', template: '{{ workspace.brandName }}: Thanks, you are confirmed. See you then!', next: 'wait-24h' },
      { id: 'reschedule', type: 'send', template: "{{ workspace.brandName }}: No problem, we'll call you to find a new time.", next: 'mark' },
      { id: 'mark', type: 'setAttribute', attribute: 'appointmentRequest', value: 'reschedule', next: 'done' },
      { id: 'wait-24h', type: 'wait', until: 'event.startsAt - PT24H', ifPast: 'done' },
      { id: 'remind-24h', type: 'send', template: "{{ workspace.brandName }}: Reminder, your appointment is tomorrow at {{ event.startsAt | localtime: 'h:mm a' }}." },
      { id: 'done', type: 'exit' },
    ],
  };

  /**
   * The workspace keeps the default opt-in-with-consent mode: a reply the waiting run takes is
   * not a conversation opener, so it is neither held nor answered with an opt-in request.
   */
  async function replyPractice(): Promise<CalendarScenario> {
    const s = await CalendarScenario.start(hub, fake);
    const created = await hub.http().post('/v1/flows').set('Authorization', s.admin).send(replyVariant).expect(201);
    await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', s.admin).expect(200);
    return s;
  }

  async function reply(s: CalendarScenario, from: string, body: string): Promise<void> {
    await hub.get(InboundSmsService).receive(s.ws.id, { provider: 'http', providerMessageId: `in-${from}-${body}`, from, to: '+18005550100', body });
  }

  it('reply variant: C confirms and the reminder still comes; R asks for a new time and ends the reminders', async () => {
    const s = await replyPractice();
    fake.addEvent(s.calendarId, { start: WEDNESDAY_10AM, phone: '+12125550133', attendee: null });
    fake.addEvent(s.calendarId, { start: new Date(WEDNESDAY_10AM.getTime() + HOUR), phone: '+12125550122', attendee: null });
    await s.notifyAndSync();
    const asked = await sentCount(s, 2, true);
    expect(asked.every((m) => m.body.includes('Reply C to confirm or R to reschedule'))).toBe(true);
    const contactOf = async (phone: string) => (await hub.dataSource.query('SELECT id FROM contact WHERE workspace_id = $1 AND phone = $2', [s.ws.id, phone]))[0].id;
    const confirmer = await contactOf('+12125550133');
    const rescheduler = await contactOf('+12125550122');

    await eventually(async () => {
      const all = await runs(s);
      return (all.length === 2 && all.every((r) => r.status === 'waiting' && r.step_id === 'answer')) || undefined;
    }, 'both runs to wait for a reply');
    await moveTo(new Date(Date.parse(START) + 10 * MINUTE));
    await reply(s, '+12125550133', 'c');
    await reply(s, '+12125550122', 'R');
    const answered = await sentCount(s, 4, true);
    expect(answered.find((m) => m.contactId === confirmer && m.body.includes('you are confirmed'))).toBeDefined();
    expect(answered.find((m) => m.contactId === rescheduler && m.body.includes("we'll call you to find a new time"))).toBeDefined();
    // The replies went to the runs: none was held, and nobody was sent an opt-in request.
    const inbound = await hub.dataSource.query(`SELECT status FROM message WHERE workspace_id = $1 AND direction = 'inbound'`, [s.ws.id]);
    expect(inbound.map((m: { status: string }) => m.status)).toEqual(['received', 'received']);
    const requests = await hub.dataSource.query(`SELECT id FROM message WHERE workspace_id = $1 AND origin->>'systemKind' = 'opt_in_request'`, [s.ws.id]);
    expect(requests).toEqual([]);
    await eventually(async () => {
      const [row] = await hub.dataSource.query(`SELECT attributes->>'appointmentRequest' AS request FROM contact WHERE id = $1`, [rescheduler]);
      return row.request === 'reschedule' || undefined;
    }, 'the reschedule request to be recorded on the contact');
    await stillSent(s, 4, true);

    await moveTo(new Date(WEDNESDAY_10AM.getTime() - DAY));
    const reminded = await sentCount(s, 5, true);
    expect(reminded[4]).toMatchObject({ contactId: confirmer });
    expect(reminded[4].body).toContain('tomorrow at 10:00 AM');
    await moveTo(new Date(WEDNESDAY_10AM.getTime() + HOUR - DAY));
    await stillSent(s, 5, true);
  });

  it('a 410 resync sends no duplicate confirmations', async () => {
    const s = await practice();
    fake.addEvent(s.calendarId, { start: WEDNESDAY_10AM, phone: '+12125550166', attendee: null });
    fake.addEvent(s.calendarId, { start: new Date(WEDNESDAY_10AM.getTime() + 2 * HOUR), phone: '+12125550155', attendee: null });
    await s.notifyAndSync();
    await sentCount(s, 2);

    fake.expireSyncTokens(s.calendarId);
    fake.addEvent(s.calendarId, { start: new Date(WEDNESDAY_10AM.getTime() + 4 * HOUR), phone: '+12125550144', attendee: null });
    expect(await s.notifyAndSync()).toMatchObject({ mode: 'resync', booked: 1 });
    await dispatched(s);

    const messages = await sentCount(s, 3);
    const perContact = new Map<string, number>();
    for (const m of messages) perContact.set(m.contactId, (perContact.get(m.contactId) ?? 0) + 1);
    expect([...perContact.values()]).toEqual([1, 1, 1]);
    expect(messages.every((m) => m.body.includes("You're booked"))).toBe(true);
  });
});
