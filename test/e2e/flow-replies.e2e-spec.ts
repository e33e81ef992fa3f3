import { SecretBox } from '@optline/core';
import { ConsentService } from '@optline/consent';
import { GroupService } from '@optline/contacts';
import { ScheduledEventScanner } from '@optline/flows';
import { Webhook } from 'standardwebhooks';
import { InboundSmsService } from '@optline/messaging';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { TestHub } from '../utils/test-hub';

/** 10:00 in Chicago. */
const START = new Date('2026-03-10T16:00:00Z');

describe('flow runs: replies, group enrolment, scheduled starts, dated triggers, webhooks', () => {
  let hub: TestHub;
  let receiver: Server;
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    hub = await TestHub.start();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
    await hub.close();
  });

  async function freshKit(): Promise<FlowKit> {
    hub.manualClock.set(START);
    return new FlowKit(hub, await hub.createWorkspace());
  }

  const reply = async (kit: FlowKit, from: string, body: string, id: string) => {
    await hub.get(InboundSmsService).receive(kit.ws.id, { provider: 'http', providerMessageId: id, from, to: '+18005550100', body });
    await settle(hub);
  };

  // The website double opt-in (seed 001, invited one contact at a time) is in opt-in-invitations.e2e-spec.ts.

  it('opt-in by keyword: JOIN starts the flow, Y confirms marketing consent', async () => {
    hub.manualClock.set(START);
    const kit = new FlowKit(hub, await hub.createWorkspace({ optInMode: 'disclaimer' }));
    const flowId = await kit.activeTemplate('optin-sms-keyword');
    const phone = '+13125550177';
    await reply(kit, phone, ' join ', 'in-join');
    const [run] = await kit.runsOf(flowId);
    expect(run).toMatchObject({ status: 'waiting', step_id: 'answer' });
    const contactId = run.contact_id;
    expect((await kit.outbound(contactId)).map((m) => [m.type, m.body])).toEqual([
      [
        'system',
        'Acme Alerts: Reply Y to confirm you want recurring marketing texts (offers, restocks, cart reminders). Consent is not a condition of purchase. Msg freq varies. Msg&data rates may apply. Reply HELP for help, STOP to cancel.',
      ],
    ]);
    expect((await hub.get(ConsentService).statesFor(kit.ws.id, [contactId])).get(contactId)!.marketing).toBe('pending');

    await kit.advance('PT2M');
    await reply(kit, phone, 'Y', 'in-y');
    expect((await hub.get(ConsentService).statesFor(kit.ws.id, [contactId])).get(contactId)!.marketing).toBe('opted_in');
    const timeline = (await kit.run(run.id)).timeline.map((l: any) => `${l.stepId ?? '-'}:${l.outcome}`);
    expect(timeline).toEqual([
      '-:enrolled',
      'pending:consent_recorded',
      'ask:sent',
      'answer:waiting_for_reply',
      'answer:replied',
      // The keyword handling recorded the YES already; the flow does not append a second entry.
      'opted-in:consent_unchanged',
      'add-to-opted-in:follows_consent',
      'finished:exited',
      '-:completed',
    ]);
  });

  it('starts a flash sale for a group at the scheduled time; the last call falls in quiet hours and waits, as the simulator said', async () => {
    const kit = await freshKit();
    const flowId = await kit.activeTemplate('flash-sale');
    const groups = hub.get(GroupService);
    const vip = await groups.create(kit.ws.id, 'VIP');
    const contacts = await Promise.all(['+13125550175', '+13125550176'].map((phone) => kit.contact(phone, { timeZone: 'America/Chicago' })));
    for (const c of contacts) await kit.optIn(c.id);
    await groups.addMembers(kit.ws.id, vip.id, contacts.map((c) => c.id));
    const data = { saleName: 'Spring flash sale', code: 'SPRING30', url: 'https://acme.test/sale' };
    await hub.http().post(`/v1/flows/${flowId}/enroll`).set('Authorization', await kit.auth('marketing')).send({ groupId: vip.id, startAt: '2026-03-11T15:00:00Z', data }).expect(200);
    await kit.advance('PT12H');
    expect(await kit.outbound(contacts[0].id)).toEqual([]);
    await kit.runUntil('2026-03-12T12:00:00Z');

    for (const c of contacts) {
      const [announce, lastCall] = await kit.outbound(c.id);
      expect([announce.created_at.toISOString(), announce.status, announce.body.replace(/https:\/\/hub\.optline\.test\/l\/[A-Za-z0-9]{8}/, '<link>')]).toEqual([
        '2026-03-11T15:00:00.000Z',
        'sent',
        'Acme Alerts: Spring flash sale starts now - 24 hours only! Use code SPRING30 at <link> Reply STOP to opt out.',
      ]);
      // 20 h later is 06:00 in Chicago: the gateway holds the last call until the window opens at 08:00 (spread over 10 minutes).
      expect([lastCall.created_at.toISOString(), lastCall.status]).toEqual(['2026-03-12T11:00:00.000Z', 'deferred']);
      expect(lastCall.deferred_until!.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-03-12T13:00:00Z'));
      expect(lastCall.deferred_until!.getTime()).toBeLessThan(Date.parse('2026-03-12T13:10:00Z'));
    }
    const simulated = await hub
      .http()
      .post(`/v1/flows/${flowId}/simulate`)
      .set('Authorization', await kit.auth('support'))
      .send({ contactId: contacts[0].id, event: data, startAt: '2026-03-11T15:00:00Z' })
      .expect(200);
    expect(simulated.body.messages.map((m: any) => [m.stepId, m.submittedAt, m.sendAt])).toEqual([
      ['announce', '2026-03-11T15:00:00.000Z', '2026-03-11T15:00:00.000Z'],
      ['last-call', '2026-03-12T11:00:00.000Z', '2026-03-12T13:00:00.000Z'],
    ]);
  });

  it("sends the birthday text once a year, on the contact's local day", async () => {
    const kit = await freshKit();
    await kit.activeTemplate('birthday');
    const berlin = await kit.contact('+13125550180', { firstName: 'Mia', timeZone: 'Europe/Berlin', attributes: { birthday: '1990-03-11' } });
    const chicago = await kit.contact('+13125550181', { firstName: 'Joe', timeZone: 'America/Chicago', attributes: { birthday: '1985-03-11' } });
    await kit.optIn(berlin.id);
    await kit.optIn(chicago.id);
    const scan = async (at: string) => {
      hub.manualClock.set(at);
      await hub.get(ScheduledEventScanner).scan();
      await settle(hub);
    };
    await scan('2026-03-11T09:00:00Z'); // 10:00 in Berlin, 04:00 in Chicago
    expect((await kit.outbound(berlin.id)).map((m) => m.body)).toEqual(["Acme Alerts: Happy birthday, Mia! Here's 20% off anything this week with code BDAY20. Reply STOP to opt out."]);
    expect(await kit.outbound(chicago.id)).toEqual([]);
    await scan('2026-03-11T15:00:00Z'); // 10:00 in Chicago
    await scan('2026-03-11T20:00:00Z'); // later the same day: nothing new
    expect(await kit.outbound(berlin.id)).toHaveLength(1);
    expect((await kit.outbound(chicago.id)).map((m) => m.created_at.toISOString())).toEqual(['2026-03-11T15:00:00.000Z']);
  });

  it('posts a signed webhook with the run data', async () => {
    const kit = await freshKit();
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/optline`;
    const flow = await hub
      .http()
      .post('/v1/flows')
      .set('Authorization', await kit.auth())
      .send({
        name: 'Lead to CRM',
        messageType: 'transactional',
        trigger: { events: ['lead.created'], correlationKey: 'leadId' },
        reentry: { mode: 'always' },
        steps: [{ id: 'notify', type: 'webhook', url }],
      })
      .expect(201);
    await hub.http().post(`/v1/flows/${flow.body.id}/activate`).set('Authorization', await kit.auth()).expect(200);
    const secret = (await hub.http().get(`/v1/flows/${flow.body.id}/webhook-secret`).set('Authorization', await kit.auth()).expect(200)).body.secret;
    const lead = await kit.contact('+13125550185', { firstName: 'Kim' });
    await kit.emit([{ type: 'lead.created', dedupeKey: 'lead-1', contact: { phone: lead.phone! }, correlation: { leadId: 'L-1' }, data: { source: 'webinar' } }]);

    const [call] = received.splice(0);
    // Verified as a receiver would, with the Standard Webhooks library; its clock is the hub's (a day in March).
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const now = jest.spyOn(Date, 'now').mockReturnValue(hub.manualClock.now().getTime());
    try {
      expect(() => new Webhook(secret).verify(call.body, call.headers as Record<string, string>)).not.toThrow();
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(call.body, call.headers as Record<string, string>)).toThrow();
    } finally {
      now.mockRestore();
    }
    const [run] = await kit.runsOf(flow.body.id);
    expect(call.headers['webhook-id']).toBe(`run:${run.id}:notify`);
    expect(JSON.parse(call.body)).toMatchObject({ flow: { id: flow.body.id, name: 'Lead to CRM' }, step: 'notify', contact: { id: lead.id, firstName: 'Kim' }, event: { source: 'webinar' } });
    expect((await kit.run(run.id)).timeline.find((l: any) => l.stepId === 'notify')).toMatchObject({ outcome: 'delivered', detail: { status: 204 } });

    // A secret made before Standard Webhooks (whsec_ + base64url, which its libraries cannot decode) is replaced once, when next needed.
    const legacy = hub.get(SecretBox).seal('whsec_abc-def_ghi-jkl_mno-pqr_stu-vwx');
    await hub.dataSource.query(`UPDATE flow SET webhook_secret = $2 WHERE id = $1`, [flow.body.id, JSON.stringify(legacy)]);
    const upgraded = (await hub.http().get(`/v1/flows/${flow.body.id}/webhook-secret`).set('Authorization', await kit.auth()).expect(200)).body;
    expect(upgraded).toMatchObject({ secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/), header: 'webhook-signature' });
    expect((await hub.http().get(`/v1/flows/${flow.body.id}/webhook-secret`).set('Authorization', await kit.auth()).expect(200)).body.secret).toBe(upgraded.secret);
  });
});
