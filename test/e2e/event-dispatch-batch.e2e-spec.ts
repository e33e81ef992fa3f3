import { ConsentVerifyService } from '@optline/consent';
import { ConsumedEvent, TriggerEvent, TriggerEventConsumers } from '@optline/plugin-sdk';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/** Noon in Chicago: inside every sending window. */
const NOON_CHICAGO = new Date('2026-03-10T17:00:00Z');

const cartFlow = (name: string) => ({
  name,
  messageType: 'marketing',
  trigger: { events: ['checkout.updated'], correlationKey: 'checkoutToken' },
  reentry: { mode: 'never' },
  exits: [{ event: 'order.created', correlationKey: 'checkoutToken' }],
  steps: [
    { id: 'wait-1h', type: 'wait', duration: 'PT1H' },
    { id: 'nudge', type: 'send', template: '{{ workspace.brandName }}: your cart is waiting. Reply STOP to opt out.' },
  ],
});

const phone = (i: number) => `+1415555${String(1000 + i).padStart(4, '0')}`;

/**
 * 'event.dispatch' jobs that run at the same moment are dispatched as one batch: these prove a
 * burst behaves exactly as the same events one after another would.
 */
describe('event dispatch: a burst of events is dispatched together, as if one by one', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(NOON_CHICAGO);
  });
  afterAll(() => hub.close());

  async function kitWithFlow(): Promise<{ kit: FlowKit; flowId: string }> {
    const kit = new FlowKit(hub, await hub.createWorkspace({ timeZone: 'America/Chicago' }));
    const auth = await kit.auth('marketing');
    const created = await kit.http().post('/v1/flows').set('Authorization', auth).send(cartFlow('Cart nudge')).expect(201);
    await kit.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', auth).expect(200);
    return { kit, flowId: created.body.id };
  }

  async function storedEvents(workspaceId: string): Promise<Map<string, { status: string; outcome: TriggerEvent['outcome']; contact_id: string | null }>> {
    const rows: { dedupe_key: string; status: string; outcome: TriggerEvent['outcome']; contact_id: string | null }[] = await hub.dataSource.query(
      `SELECT dedupe_key, status, outcome, contact_id FROM trigger_event WHERE workspace_id = $1`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.dedupe_key, r]));
  }

  it('enrols each of 120 new customers exactly once, records their consent in one intact chain, and ignores a replayed burst', async () => {
    const { kit, flowId } = await kitWithFlow();
    const burst = Array.from({ length: 120 }, (_, i) => ({
      type: 'checkout.updated' as const,
      dedupeKey: `chk-${i}`,
      contact: { phone: phone(i), firstName: `Buyer${i}` },
      ...(i % 3 === 0 && { consent: { types: ['marketing' as const], state: 'opted_in' as const, source: 'shopify' as const, evidence: { checkbox: 'accepts_marketing' } } }),
      correlation: { checkoutToken: `tok-${i}` },
      data: { checkoutUrl: `https://acme.test/c/${i}` },
    }));
    expect(await kit.emit(burst)).toEqual({ stored: 120, duplicates: 0 });

    const runs = await kit.runsOf(flowId);
    expect(runs).toHaveLength(120);
    expect(new Set(runs.map((r) => r.contact_id)).size).toBe(120);
    expect(runs.every((r) => r.status === 'waiting' && r.step_id === 'wait-1h')).toBe(true);
    const events = await storedEvents(kit.ws.id);
    for (let i = 0; i < 120; i++) {
      const event = events.get(`chk-${i}`)!;
      expect(event.status).toBe('processed');
      expect(event.outcome.contact).toEqual({ id: event.contact_id, created: true });
      expect((event.outcome.consumers!.flows.started as string[]).length).toBe(1);
      if (i % 3 === 0) expect(event.outcome.consent).toEqual({ recorded: ['marketing'], state: 'opted_in' });
      else expect(event.outcome.consent).toBeUndefined();
    }
    const [ledger] = await hub.dataSource.query(`SELECT count(*)::int AS n FROM consent_event WHERE workspace_id = $1`, [kit.ws.id]);
    expect(ledger.n).toBe(40);
    expect(await hub.get(ConsentVerifyService).verify(kit.ws.id)).toMatchObject({ ok: true });

    // The same webhooks again (a vendor's redelivery): stored once, nothing new starts.
    expect(await kit.emit(burst)).toEqual({ stored: 0, duplicates: 120 });
    expect(await kit.runsOf(flowId)).toHaveLength(120);
  });

  it('two events about the same person in one burst: the second sees the first (re-entry, consent, exit)', async () => {
    const { kit, flowId } = await kitWithFlow();
    await kit.emit([
      // Ana starts two checkouts: the flow says "never again", so only the first starts a run.
      { type: 'checkout.updated', dedupeKey: 'ana-1', contact: { phone: phone(1) }, correlation: { checkoutToken: 'ana-a' }, data: {} },
      { type: 'checkout.updated', dedupeKey: 'ana-2', contact: { phone: phone(1), firstName: 'Ana' }, correlation: { checkoutToken: 'ana-b' }, data: {} },
      // Ben checks out then orders: his run starts and is ended by the order, in that order.
      { type: 'checkout.updated', dedupeKey: 'ben-1', contact: { phone: phone(2) }, correlation: { checkoutToken: 'ben-a' }, data: {} },
      { type: 'order.created', dedupeKey: 'ben-order', contact: { phone: phone(2) }, correlation: { checkoutToken: 'ben-a', orderId: '1' }, data: {} },
      // Cy's order comes before his checkout: nothing to end yet, so his run stays.
      { type: 'order.created', dedupeKey: 'cy-order', contact: { phone: phone(3) }, correlation: { checkoutToken: 'cy-a', orderId: '2' }, data: {} },
      { type: 'checkout.updated', dedupeKey: 'cy-1', contact: { phone: phone(3) }, correlation: { checkoutToken: 'cy-a' }, data: {} },
      // Dee accepts marketing at checkout, then fills the web form: its 'pending' must not downgrade her.
      { type: 'order.created', dedupeKey: 'dee-1', contact: { phone: phone(4) }, consent: { types: ['marketing'], state: 'opted_in', source: 'shopify', evidence: { box: 'ticked' } }, correlation: { orderId: '3' }, data: {} },
      { type: 'form.submitted', dedupeKey: 'dee-2', contact: { phone: phone(4) }, consent: { types: ['marketing'], state: 'pending', source: 'web_form', evidence: { form: 'b' } }, data: {} },
    ]);

    const events = await storedEvents(kit.ws.id);
    expect(events.get('ana-1')!.outcome.contact).toMatchObject({ created: true });
    expect(events.get('ana-2')!.outcome.contact).toMatchObject({ created: false });
    expect(events.get('ana-2')!.outcome.consumers!.flows).toEqual({ ended: [], started: [], skipped: [{ flowId, reason: 'reentry' }] });

    const runs = await kit.runsOf(flowId);
    const runOf = (dedupeKey: string) => (events.get(dedupeKey)!.outcome.consumers!.flows.started as string[])[0];
    expect(runs.find((r) => r.id === runOf('ben-1'))).toMatchObject({ status: 'exited', exit_reason: 'exit event order.created' });
    expect(events.get('ben-order')!.outcome.consumers!.flows).toEqual({ ended: [runOf('ben-1')], started: [] });
    expect(runs.find((r) => r.id === runOf('cy-1'))).toMatchObject({ status: 'waiting' });
    expect(runs).toHaveLength(3);

    expect(events.get('dee-1')!.outcome.consent).toEqual({ recorded: ['marketing'], state: 'opted_in' });
    expect(events.get('dee-2')!.outcome.consent).toEqual({ recorded: [], state: 'pending', unchanged: ['marketing'] });
    const [contact] = await hub.dataSource.query(`SELECT first_name FROM contact WHERE workspace_id = $1 AND phone = $2`, [kit.ws.id, phone(1)]);
    expect(contact.first_name).toBe('Ana');
  });

  it('an unusable phone is an ignored event with its reason, and does not hold back the rest of the burst', async () => {
    const { kit, flowId } = await kitWithFlow();
    await kit.emit([
      { type: 'checkout.updated', dedupeKey: 'bad', contact: { phone: '555-555-SHIP' }, correlation: { checkoutToken: 'x' }, data: {} },
      { type: 'checkout.updated', dedupeKey: 'good', contact: { phone: phone(7) }, correlation: { checkoutToken: 'y' }, data: {} },
    ]);
    const events = await storedEvents(kit.ws.id);
    expect(events.get('bad')).toMatchObject({ status: 'ignored', contact_id: null, outcome: { contact: { skipped: 'no_usable_phone' } } });
    expect(events.get('good')!.status).toBe('processed');
    expect(await kit.runsOf(flowId)).toHaveLength(1);
  });

  it("a consumer failing for one event retries that event's job alone; the others of the batch are done", async () => {
    const { kit, flowId } = await kitWithFlow();
    // A second consumer (as a plugin library would register) that refuses one event.
    const consumers = hub.get(TriggerEventConsumers);
    const seen: string[] = [];
    consumers.register({
      name: 'picky',
      consume: async (event) => {
        if (event.workspaceId !== kit.ws.id) return {};
        seen.push(event.dedupeKey);
        if (event.dedupeKey === 'chk-2') throw new Error('picky says no');
        return { looked: true };
      },
      consumeMany: async (items: ConsumedEvent[]) => {
        throw new Error(`the batch of ${items.length} failed as a whole`);
      },
    });
    await kit.emit(Array.from({ length: 5 }, (_, i) => ({ type: 'checkout.updated' as const, dedupeKey: `chk-${i}`, contact: { phone: phone(20 + i) }, correlation: { checkoutToken: `p-${i}` }, data: {} })));
    await settle(hub);

    const events = await storedEvents(kit.ws.id);
    for (const key of ['chk-0', 'chk-1', 'chk-3', 'chk-4']) expect(events.get(key)).toMatchObject({ status: 'processed', outcome: { consumers: { picky: { looked: true } } } });
    // chk-2 waits for its retry (Bull's backoff); flows already answered for it and are not asked again.
    const failing = await waitFor('the failing event to record its error', async () => {
      const row = (await storedEvents(kit.ws.id)).get('chk-2')!;
      return row.outcome.errors ? row : null;
    });
    expect(failing).toMatchObject({ status: 'received', outcome: { errors: { picky: 'picky says no' } } });
    expect((failing.outcome.consumers!.flows.started as string[]).length).toBe(1);
    expect(await kit.runsOf(flowId)).toHaveLength(5);
  });
});
