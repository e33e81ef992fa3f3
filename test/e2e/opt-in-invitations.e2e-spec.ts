import { ConsentService } from '@optline/consent';
import { GroupService } from '@optline/contacts';
import { UserService } from '@optline/core';
import { InboundSmsService } from '@optline/messaging';
import { FlowKit, settle } from '../../libs/flows/testing/flow-e2e-kit';
import { Browser } from '../utils/browser';
import { TestHub } from '../utils/test-hub';

/** 10:00 in Chicago. */
const START = new Date('2026-03-10T16:00:00Z');
const INVITE = 'Acme Alerts would like to send you offers and updates by text. Reply Y Yes N No. MSG&DataRatesMayApply. Msg freq varies. Reply STOP to cancel, HELP for help.';

describe('seed 001: the opt-in flow, invited one contact at a time', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
  });
  afterAll(() => hub.close());

  async function freshKit(): Promise<FlowKit> {
    hub.manualClock.set(START);
    return new FlowKit(hub, await hub.createWorkspace());
  }

  const reply = async (kit: FlowKit, from: string, body: string, id: string) => {
    await hub.get(InboundSmsService).receive(kit.ws.id, { provider: 'http', providerMessageId: id, from, to: '+18005550100', body });
    await settle(hub);
  };

  const invite = async (kit: FlowKit, contactId: string, body: Record<string, unknown>, status = 201) =>
    hub.http().post(`/v1/contacts/${contactId}/invite`).set('Authorization', await kit.auth('marketing')).send(body).expect(status);

  it('refuses to enrol a group (or a list) into an opt-in flow, naming the per-contact invite', async () => {
    const kit = await freshKit();
    const flowId = await kit.activeTemplate('optin-website-double');
    const groups = hub.get(GroupService);
    const leads = await groups.create(kit.ws.id, 'Trade-show leads');
    const [a, b] = await Promise.all(['+13125550160', '+13125550161'].map((phone) => kit.contact(phone)));
    await groups.addMembers(kit.ws.id, leads.id, [a.id, b.id]);

    const byGroup = await hub.http().post(`/v1/flows/${flowId}/enroll`).set('Authorization', await kit.auth('marketing')).send({ groupId: leads.id }).expect(422);
    expect(byGroup.body).toMatchObject({ code: 'invite_per_contact', details: [{ field: 'groupId', message: expect.stringContaining('POST /v1/contacts/:id/invite') }] });
    const byList = await hub.http().post(`/v1/flows/${flowId}/enroll`).set('Authorization', await kit.auth('marketing')).send({ contactIds: [a.id, b.id] }).expect(422);
    expect(byList.body.code).toBe('invite_per_contact');
    await settle(hub);
    expect(await kit.runsOf(flowId)).toEqual([]);
    expect([...(await kit.outbound(a.id)), ...(await kit.outbound(b.id))]).toEqual([]);

    // Bad invitations are named, never a 500.
    const neither = await invite(kit, a.id, {}, 400);
    expect(neither.body.details).toEqual([{ field: 'flowId', message: 'give exactly one of flowId or flowKey' }]);
    await invite(kit, '00000000-0000-4000-8000-000000000000', { flowId }, 404);
    await invite(kit, a.id, { flowKey: 'birthday' }, 404);
    const notOptIn = await kit.activeTemplate('birthday');
    expect((await invite(kit, a.id, { flowId: notOptIn }, 422)).body.code).toBe('not_an_opt_in_flow');
    const foreign = await hub.createWorkspace();
    await hub.http().post(`/v1/contacts/${a.id}/invite`).set('Authorization', await foreign.auth('marketing')).send({ flowId }).expect(404);
  });

  it('Y to Opted-In, N or STOP to Opted-Out (out of the original group), silence stays; every finished contact has Opt In Y or N; who invited is on the run and in the ledger', async () => {
    const kit = await freshKit();
    const flowId = await kit.activeTemplate('optin-website-double');
    const groups = hub.get(GroupService);
    const leads = await groups.create(kit.ws.id, 'Trade-show leads');
    const [yes, no, stop, quiet] = await Promise.all(['+13125550170', '+13125550171', '+13125550172', '+13125550173'].map((phone) => kit.contact(phone, { timeZone: 'America/Chicago' })));
    await groups.addMembers(kit.ws.id, leads.id, [yes.id, no.id, stop.id, quiet.id]);

    const invited = new Map<string, any>();
    for (const c of [yes, no, stop]) invited.set(c.id, (await invite(kit, c.id, { flowId, groupId: leads.id })).body);
    invited.set(quiet.id, (await invite(kit, quiet.id, { flowKey: 'optin-website-double', groupId: leads.id })).body);
    await settle(hub);
    const [keyRow] = await hub.dataSource.query(`SELECT id FROM api_key WHERE workspace_id = $1 AND role = 'marketing'`, [kit.ws.id]);
    expect(invited.get(yes.id)).toMatchObject({
      flowId,
      contactId: yes.id,
      groupId: leads.id,
      invitedBy: { actor: `api_key:${keyRow.id}`, apiKeyId: keyRow.id, userId: null },
      invitedAt: START.toISOString(),
      pendingTypes: ['marketing'],
    });
    for (const c of [yes, no, stop, quiet]) expect((await kit.outbound(c.id)).map((m) => [m.body, m.type, m.status])).toEqual([[INVITE, 'system', 'sent']]);

    // One opt-in request per person: a second invitation is refused and sends nothing.
    expect((await invite(kit, yes.id, { flowId, groupId: leads.id }, 409)).body.code).toBe('already_invited');

    // The invitation is the pending opt-in's evidence, and the run shows it.
    const [pendingEntry] = await hub.dataSource.query(`SELECT state, source, evidence, flow_id, actor FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 AND kind = 'consent' ORDER BY seq LIMIT 1`, [
      kit.ws.id,
      yes.id,
    ]);
    expect(pendingEntry).toMatchObject({
      state: 'pending',
      source: 'api',
      flow_id: flowId,
      evidence: { invitation: { invitedBy: { actor: `api_key:${keyRow.id}`, apiKeyId: keyRow.id }, invitedAt: START.toISOString(), flowId, groupId: leads.id } },
    });
    const yesRun = await kit.run(invited.get(yes.id).runId);
    expect(yesRun.invitation).toEqual(pendingEntry.evidence.invitation);
    expect(yesRun.timeline[0]).toMatchObject({ outcome: 'enrolled', detail: { event: 'invitation', invitation: pendingEntry.evidence.invitation } });

    await kit.advance('PT5M');
    await reply(kit, yes.phone!, 'Y', 'in-yes');
    await reply(kit, no.phone!, 'No', 'in-no');
    await reply(kit, stop.phone!, 'STOP', 'in-stop');
    await kit.runUntil('2026-03-13T17:00:00Z');

    const states = await hub.get(ConsentService).statesFor(kit.ws.id, [yes.id, no.id, stop.id, quiet.id]);
    expect([yes, no, stop, quiet].map((c) => states.get(c.id)!.marketing)).toEqual(['opted_in', 'opted_out', 'opted_out', 'pending']);
    const optedIn = await groups.systemGroup(kit.ws.id, 'opted_in');
    const optedOut = await groups.systemGroup(kit.ws.id, 'opted_out');
    expect(await groups.memberIds(kit.ws.id, leads.id)).toEqual([quiet.id]);
    expect(await groups.memberIds(kit.ws.id, optedIn.id)).toEqual([yes.id]);
    expect((await groups.memberIds(kit.ws.id, optedOut.id)).sort()).toEqual([no.id, stop.id].sort());
    const attributes = await hub.dataSource.query(`SELECT id, attributes->>'optIn' AS opt_in FROM contact WHERE id = ANY($1)`, [[yes.id, no.id, stop.id, quiet.id]]);
    expect(Object.fromEntries(attributes.map((a: any) => [a.id, a.opt_in]))).toEqual({ [yes.id]: 'Y', [no.id]: 'N', [stop.id]: 'N', [quiet.id]: 'N' });

    const timelineOf = async (contactId: string) => (await kit.run(invited.get(contactId).runId)).timeline.map((l: any) => `${l.stepId ?? '-'}:${l.outcome}`);
    expect(await timelineOf(no.id)).toEqual([
      '-:enrolled',
      'invite:sent',
      'answer:waiting_for_reply',
      'answer:replied',
      'declined:consent_recorded',
      'to-opted-out:follows_consent',
      'leave-original-no:removed',
      'mark-n:attribute_set',
      'finished:exited',
      '-:completed',
    ]);
    expect(await timelineOf(yes.id)).toEqual(expect.arrayContaining(['answer:replied', 'to-opted-in:follows_consent', 'leave-original-yes:removed', 'mark-y:attribute_set', '-:completed']));
    expect((await kit.run(invited.get(quiet.id).runId)).timeline.find((l: any) => l.outcome === 'timed_out')).toMatchObject({ at: '2026-03-13T16:00:00.000Z', stepId: 'answer' });
    // Only the invitation, the YES confirmation and the STOP confirmation went out: nothing to the one who said No.
    expect((await kit.outbound(no.id)).map((m) => m.body)).toEqual([INVITE]);

    // Inviting again someone who said STOP is refused: only their START resubscribes.
    const other = await hub.http().post('/v1/flows/from-template').set('Authorization', await kit.auth('marketing')).send({ templateKey: 'optin-sms-keyword' }).expect(201);
    await hub.http().post(`/v1/flows/${other.body.id}/activate`).set('Authorization', await kit.auth('marketing')).expect(200);
    expect((await invite(kit, stop.id, { flowId: other.body.id }, 422)).body.code).toBe('contact_opted_out');
    expect((await invite(kit, yes.id, { flowId: other.body.id }, 409)).body.code).toBe('already_opted_in');
  });

  it('records the signed-in person who clicked Invite (user id, not a key) on the run and in the ledger', async () => {
    const kit = await freshKit();
    const flowId = await kit.activeTemplate('optin-website-double');
    const person = await hub.get(UserService).create({ workspaceId: kit.ws.id, email: `inviter-${kit.ws.id}@acme.test`, displayName: 'Ines', role: 'marketing', password: 'a long enough passphrase 42' });
    const browser = new Browser(hub);
    await browser.signIn(person.email, 'a long enough passphrase 42');
    const contact = await kit.contact('+13125550190', { timeZone: 'America/Chicago' });
    const res = await browser.post(`/v1/contacts/${contact.id}/invite`, { flowKey: 'optin-website-double' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ flowId, invitedBy: { actor: `user:${person.id}`, apiKeyId: null, userId: person.id } });
    await settle(hub);
    const [entry] = await hub.dataSource.query(`SELECT evidence FROM consent_event WHERE workspace_id = $1 AND contact_id = $2 AND state = 'pending'`, [kit.ws.id, contact.id]);
    expect(entry.evidence.invitation.invitedBy).toEqual({ actor: `user:${person.id}`, apiKeyId: null, userId: person.id });
    expect((await kit.run(res.body.runId)).invitation).toMatchObject({ invitedBy: { userId: person.id } });
    expect((await kit.outbound(contact.id)).map((m) => m.body)).toEqual([INVITE]);
  });

  it('the gateway refuses an opt-in request to someone with no pending opt-in, whatever flow sends it', async () => {
    const kit = await freshKit();
    // A hand-made flow that asks everyone who fills a form, ticked box or not.
    const created = await hub
      .http()
      .post('/v1/flows')
      .set('Authorization', await kit.auth('marketing'))
      .send({
        name: 'Careless opt-in',
        messageType: 'system',
        trigger: { events: ['form.submitted'] },
        reentry: { mode: 'always' },
        steps: [{ id: 'ask', type: 'send', systemKind: 'opt_in_request', template: '{{ workspace.brandName }}: reply YES for texts. Reply STOP to cancel.' }],
      })
      .expect(201);
    await hub.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', await kit.auth('marketing')).expect(200);
    await kit.emit([{ type: 'form.submitted', dedupeKey: 'no-box', contact: { phone: '+13125550180' }, data: { consentChecked: false } }]);
    await kit.emit([
      {
        type: 'form.submitted',
        dedupeKey: 'box',
        contact: { phone: '+13125550181' },
        consent: { types: ['marketing'], state: 'pending', source: 'web_form', evidence: { checkbox: true } },
        data: { consentChecked: true },
      },
    ]);
    const [unticked] = await hub.dataSource.query(`SELECT id FROM contact WHERE workspace_id = $1 AND phone = '+13125550180'`, [kit.ws.id]);
    const [ticked] = await hub.dataSource.query(`SELECT id FROM contact WHERE workspace_id = $1 AND phone = '+13125550181'`, [kit.ws.id]);
    const refused = await hub.dataSource.query(`SELECT status, reason FROM message WHERE workspace_id = $1 AND contact_id = $2 AND direction = 'outbound'`, [kit.ws.id, unticked.id]);
    expect(refused).toEqual([{ status: 'blocked', reason: 'no_pending_opt_in' }]);
    expect((await kit.outbound(ticked.id)).map((m) => m.status)).toEqual(['sent']);
  });
});
