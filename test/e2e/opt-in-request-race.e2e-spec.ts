import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { SendDispatcher, SendGateway } from '@optline/messaging';
import { TestHub } from '../utils/test-hub';

describe('one opt-in request per person, even when two are decided at the same moment', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set('2026-03-10T16:00:00Z'); // 10:00 in Chicago
  });
  afterAll(() => hub.close());

  it('a coalesced batch and an inline dispatch of two requests to one person: one is sent, the other refused', async () => {
    const ws = await hub.createWorkspace();
    const gateway = hub.get(SendGateway);
    const dispatcher = hub.get(SendDispatcher);
    const people = await Promise.all(Array.from({ length: 6 }, (_, i) => hub.get(ContactService).upsertByPhone(ws.id, { phone: `+1312555019${i}`, timeZone: 'America/Chicago' })));
    const pairs = [];
    for (const { contact } of people) {
      // Someone asked (a ticked box): one request is allowed, not two.
      await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: ['marketing'], state: 'pending', source: 'web_form', evidence: { checkbox: true } });
      const request = (key: string) =>
        gateway.submitDetailed(
          { workspaceId: ws.id, contactId: contact.id, type: 'system', body: 'Acme: reply YES for texts, STOP to cancel.', idempotencyKey: `race:${contact.id}:${key}`, origin: { systemKind: 'opt_in_request' } },
          // The jobs wait: this test decides the two messages itself, at the same moment.
          { jobDelayMs: 600_000 },
        );
      pairs.push([(await request('flow')).message.id, (await request('form')).message.id]);
    }

    // The batch path (what the sms.send coalescer calls) and the inline path (a keyword reply, a conversation) side by side.
    await Promise.all(
      pairs.flatMap(([fromBatch, inline]) => [dispatcher.dispatchMany(ws.id, [{ messageId: fromBatch, finalAttempt: true }]), dispatcher.dispatch(ws.id, inline)]),
    );

    for (const [a, b] of pairs) {
      const rows = await hub.dataSource.query(`SELECT status, reason FROM message WHERE id = ANY($1) ORDER BY status`, [[a, b]]);
      expect(rows).toEqual([
        { status: 'blocked', reason: 'opt_in_request_already_sent' },
        { status: 'sent', reason: null },
      ]);
    }
  });
});
