import { ConsentService, SuppressionService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { TestHub, TestWorkspace } from '../utils/test-hub';
import { waitFor } from '../utils/wait';

/** Noon in Miami, 9:00 in Los Angeles: inside every quiet-hours window. */
const MIDDAY = new Date('2026-11-20T17:00:00Z');

/**
 * A check of a contact by id reads the contact, its consent and suppression, and its history at
 * the same time (decision 0260). It must answer exactly what the same check by phone answers —
 * suppression through the contact's phone, consent, the state cap of the number's state.
 */
describe('send gateway: a check by contact id answers as the check by phone', () => {
  let hub: TestHub;
  let ws: TestWorkspace;

  const check = async (body: Record<string, unknown>, workspace = ws, status = 200) =>
    (await hub.http().post('/v1/messages/check').set('Authorization', await workspace.auth()).send({ type: 'marketing', ...body }).expect(status)).body;
  const contactWith = async (phone: string, state: 'opted_in' | 'opted_out') => {
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state, source: 'web_form', evidence: { form: 'test' } });
    return contact;
  };
  const bothWays = async (contactId: string, phone: string) => {
    const [byId, byPhone] = [await check({ contactId }), await check({ phone })];
    expect(byId).toEqual(byPhone);
    return byId;
  };

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set(MIDDAY);
    ws = await hub.createWorkspace();
    // The workspace's own cap out of the way, so the state's cap (3 in 24 h in FL) is what decides.
    await hub.http().patch('/v1/workspace').set('Authorization', await ws.auth()).send({ frequencyCap: { count: 50, windowHours: 24, types: ['marketing'] } }).expect(200);
  });
  afterAll(() => hub.close());

  it('allows an opted-in contact and blocks an opted-out one by consent', async () => {
    const fan = await contactWith('+13125550140', 'opted_in');
    expect(await bothWays(fan.id, '+13125550140')).toMatchObject({ allowed: true, contactId: fan.id, region: 'IL' });
    const gone = await contactWith('+13125550141', 'opted_out');
    expect(await bothWays(gone.id, '+13125550141')).toMatchObject({ allowed: false, policy: 'consent', contactId: gone.id });
  });

  it("blocks an opted-in contact whose number is on the suppression list (matched through the contact's phone)", async () => {
    const listed = await contactWith('+13125550142', 'opted_in');
    expect((await check({ contactId: listed.id })).allowed).toBe(true);
    await hub.get(SuppressionService).add(ws.id, { phone: '(312) 555-0142', reason: 'asked by letter', actor: 'test' });
    expect(await bothWays(listed.id, '+13125550142')).toMatchObject({ allowed: false, policy: 'suppression', contactId: listed.id });
  });

  it("counts the state's cap for a Florida number and not for an Illinois one", async () => {
    const miami = await contactWith('+13055550143', 'opted_in');
    const chicago = await contactWith('+13125550144', 'opted_in');
    for (const to of ['+13055550143', '+13125550144']) {
      for (let i = 0; i < 3; i++) {
        await hub.http().post('/v1/messages').set('Authorization', await ws.auth('marketing')).set('Idempotency-Key', `cap-${to}-${i}`).send({ to, type: 'marketing', body: `Sale day ${i}. Reply STOP to opt out.` }).expect(202);
      }
    }
    await waitFor('six marketing texts handed off', async () => {
      const rows = await hub.dataSource.query(`SELECT count(*)::int AS n FROM message WHERE workspace_id = $1 AND contact_id = ANY($2) AND status = 'sent'`, [ws.id, [miami.id, chicago.id]]);
      return rows[0].n === 6 || null;
    });
    const florida = await bothWays(miami.id, '+13055550143');
    expect(florida).toMatchObject({ allowed: false, policy: 'frequency_cap', region: 'FL' });
    expect(florida.reason).toBe('state_frequency_cap');
    expect(await bothWays(chicago.id, '+13125550144')).toMatchObject({ allowed: true, region: 'IL' });
  });

  it('answers 404 for an id that is not a contact of this workspace', async () => {
    const other = await hub.createWorkspace();
    const { contact } = await hub.get(ContactService).upsertByPhone(other.id, { phone: '+13125550145' });
    await check({ contactId: contact.id }, ws, 404);
    await check({ contactId: '00000000-0000-4000-8000-000000000000' }, ws, 404);
  });
});
