import { FactWriter } from '@optline/reporting';
import { FlowKit, settle, waitFor } from '../../libs/flows/testing/flow-e2e-kit';
import { StatusCallbackService } from '../../libs/messaging/src/inbound/status-callback.service';
import { TestHub } from '../utils/test-hub';

/** REPORTING=off (decision 0214): the send path keeps no report facts; a recompute rebuilds them from the rows. */
describe('reporting: REPORTING=off keeps nothing, and a recompute restores the numbers', () => {
  let hub: TestHub;
  let kit: FlowKit;

  beforeAll(async () => {
    hub = await TestHub.start({ env: { REPORTING: 'off' } });
    hub.manualClock.set('2026-03-10T17:00:00Z');
    kit = new FlowKit(hub, await hub.createWorkspace({ timeZone: 'America/Chicago' }));
  });
  afterAll(() => hub.close());

  it('sends and deliveries leave the reports empty; a recompute then counts them exactly', async () => {
    const admin = await kit.auth('admin');
    const ids: string[] = [];
    for (const phone of ['+13125550901', '+13125550902']) {
      const contact = await kit.contact(phone);
      await kit.optIn(contact.id, ['marketing']);
      const sent = await kit.http().post('/v1/messages').set('Authorization', admin).set('Idempotency-Key', `off-${phone}`).send({ contactId: contact.id, type: 'marketing', template: 'Acme: spring sale today. Reply STOP to opt out.' }).expect(202);
      ids.push(sent.body.id);
    }
    await settle(hub);
    await hub.get(StatusCallbackService).report(kit.ws.id, { provider: 'http', messageId: ids[0], status: 'delivered', errorCode: null });
    await hub.get(FactWriter).flush();

    const [{ facts }] = await hub.dataSource.query(`SELECT count(*)::int AS facts FROM report_fact WHERE workspace_id = $1`, [kit.ws.id]);
    expect(facts).toBe(0);
    const before = (await kit.http().get('/v1/reports/breakdown?from=2026-03-10&to=2026-03-10').set('Authorization', admin).expect(200)).body;
    expect(before.rows).toEqual([]);

    await kit.http().post('/v1/reports/recompute').set('Authorization', admin).expect(202);
    await waitFor('the recompute to finish', async () => {
      const progress = (await kit.http().get('/v1/reports/recompute').set('Authorization', admin).expect(200)).body;
      return progress.status === 'completed' && progress;
    }, 20_000);
    const after = (await kit.http().get('/v1/reports/breakdown?from=2026-03-10&to=2026-03-10').set('Authorization', admin).expect(200)).body;
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({ sent: 2, delivered: 1, deliveryRate: 0.5 });
  });
});
