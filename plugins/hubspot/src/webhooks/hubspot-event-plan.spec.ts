import { PayloadError } from '@optline/plugin-sdk';
import { buildEvents, EventMappingSettings, planEvent } from './hubspot-event-plan';
import { classifyEvent, parseDelivery } from './hubspot-webhook-event';
import { planWorkflowCall } from './hubspot-workflow-call';

const settings: EventMappingSettings = {
  portalId: 62515,
  phoneProperties: ['mobilephone', 'phone'],
  lifecycleStageEvents: { lead: 'lead.created', salesqualifiedlead: 'appointment.booked' },
  dealStageEvents: { closedwon: 'contact.updated' },
};

const base = { eventId: 1, subscriptionId: 12345, portalId: 62515, occurredAt: 1564113600000, attemptNumber: 0, objectId: 123, changeSource: 'CRM' };
const parse = (events: object[]) => parseDelivery(events);

describe('parseDelivery', () => {
  it('keeps unknown fields and refuses what cannot be read, naming the field', () => {
    const [event] = parse([{ ...base, subscriptionType: 'contact.creation', futureField: 1 }]);
    expect(event).toMatchObject({ eventId: 1, futureField: 1 });
    expect(() => parse([{ ...base, subscriptionType: 'contact.creation', objectId: '123' }])).toThrow(expect.objectContaining({ field: '[0].objectId' }));
    expect(() => parseDelivery({ events: [] })).toThrow(PayloadError);
    expect(() => parseDelivery(Array.from({ length: 101 }, () => ({ ...base, subscriptionType: 'contact.creation' })))).toThrow(/at most 100/);
    expect(() => parseDelivery([42])).toThrow(expect.objectContaining({ field: '[0]' }));
  });

  it('reads both the legacy and the generic object.* forms', () => {
    expect(classifyEvent({ subscriptionType: 'contact.privacyDeletion' })).toEqual({ object: 'contact', change: 'privacyDeletion' });
    expect(classifyEvent({ subscriptionType: 'object.propertyChange', objectTypeId: '0-3' })).toEqual({ object: 'deal', change: 'propertyChange' });
    expect(classifyEvent({ subscriptionType: 'object.creation', objectTypeId: '0-2' })).toEqual({ object: 'other', change: 'creation' });
    expect(classifyEvent({ subscriptionType: 'ticket.creation' })).toEqual({ object: 'other', change: 'creation' });
  });
});

describe('planEvent', () => {
  const plan = (extra: object) => planEvent(parse([{ ...base, ...extra }])[0], settings);

  it('keys each event on portal, subscription, event id and time, so a retry (attemptNumber+1) is the same event', () => {
    expect(plan({ subscriptionType: 'contact.creation' }).dedupeKey).toBe('62515:12345:1:1564113600000');
    expect(plan({ subscriptionType: 'contact.creation', attemptNumber: 3 }).dedupeKey).toBe('62515:12345:1:1564113600000');
    expect(plan({ subscriptionType: 'contact.creation', subscriptionId: 999 }).dedupeKey).not.toBe('62515:12345:1:1564113600000');
  });

  it('maps contact creation, lifecycle stages (mapped or not), phone and other property changes', () => {
    expect(plan({ subscriptionType: 'contact.creation' })).toMatchObject({ kind: 'contact', type: 'contact.created', contactId: '123' });
    expect(plan({ subscriptionType: 'object.creation', objectTypeId: '0-1' })).toMatchObject({ kind: 'contact', type: 'contact.created' });
    expect(plan({ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage', propertyValue: 'lead' })).toMatchObject({
      type: 'lead.created',
      correlation: { leadId: '123' },
      data: expect.objectContaining({ lifecycleStage: 'lead' }),
    });
    expect(plan({ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage', propertyValue: 'salesqualifiedlead' })).toMatchObject({
      type: 'appointment.booked',
      correlation: { appointmentId: '123' },
    });
    expect(plan({ subscriptionType: 'contact.propertyChange', propertyName: 'lifecyclestage', propertyValue: 'customer' })).toMatchObject({ type: 'contact.updated', correlation: {} });
    const phone = plan({ subscriptionType: 'contact.propertyChange', propertyName: 'phone', propertyValue: '+12125550199' });
    expect(phone).toMatchObject({ type: 'contact.updated', data: expect.objectContaining({ changedProperty: 'phone' }) });
    expect(JSON.stringify(phone)).not.toContain('2125550199');
    expect(plan({ subscriptionType: 'contact.propertyChange', propertyName: 'city', propertyValue: 'Austin' })).toMatchObject({ data: expect.objectContaining({ propertyValue: 'Austin' }) });
    expect(JSON.stringify(plan({ subscriptionType: 'contact.propertyChange', propertyName: 'email', propertyValue: 'dana@example.com' }))).not.toContain('dana@');
  });

  it('erases on deletion and privacy deletion, skips merges, restores, other objects and other portals', () => {
    expect(plan({ subscriptionType: 'contact.deletion' })).toMatchObject({ kind: 'erase', contactId: '123', reason: 'deletion' });
    expect(plan({ subscriptionType: 'object.privacyDeletion', objectTypeId: '0-1' })).toMatchObject({ kind: 'erase', reason: 'privacyDeletion' });
    for (const extra of [
      { subscriptionType: 'contact.merge' },
      { subscriptionType: 'contact.restore' },
      { subscriptionType: 'deal.creation' },
      { subscriptionType: 'deal.propertyChange', propertyName: 'amount', propertyValue: '10' },
      { subscriptionType: 'company.creation' },
      { subscriptionType: 'contact.creation', portalId: 1 },
    ]) {
      expect(plan(extra)).toMatchObject({ kind: 'skip' });
    }
  });

  it('maps deal stages, defaulting to deal.stage_changed', () => {
    expect(plan({ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'qualifiedtobuy' })).toMatchObject({
      kind: 'associated',
      objectType: 'deals',
      objectId: '123',
      type: 'deal.stage_changed',
      correlation: { dealId: '123' },
    });
    expect(plan({ subscriptionType: 'object.propertyChange', objectTypeId: '0-3', propertyName: 'dealstage', propertyValue: 'closedwon' })).toMatchObject({ type: 'contact.updated' });
  });
});

describe('buildEvents', () => {
  it('emits one event per contact of a deal, and a contact-less event for a deal without contacts', () => {
    const deal = planEvent(parse([{ ...base, subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'won' }])[0], settings);
    const lonely = planEvent(parse([{ ...base, objectId: 9, subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'won' }])[0], settings);
    const hints = new Map([['7', { phone: '+12125550123', externalId: { source: 'hubspot', id: '7' } }]]);
    const events = buildEvents([deal, lonely], hints, new Map([['deals/123', ['7', '8']], ['deals/9', []]]));
    expect(events.map((e) => [e.dedupeKey, e.contact])).toEqual([
      ['62515:12345:1:1564113600000:contact:7', { phone: '+12125550123', externalId: { source: 'hubspot', id: '7' } }],
      ['62515:12345:1:1564113600000:contact:8', { externalId: { source: 'hubspot', id: '8' } }],
      ['62515:12345:1:1564113600000', undefined],
    ]);
    expect(events[0].data).toMatchObject({ hubspotContactId: '7', hubspotContactIds: ['7', '8'] });
  });
});

describe('planWorkflowCall', () => {
  const request = (query: Record<string, string>, body: string) => ({ query, rawBody: Buffer.from(body), receivedAt: new Date('2026-01-01T00:00:00Z') });
  const call = (query: Record<string, string>, body: Record<string, unknown>) => planWorkflowCall(request(query, JSON.stringify(body)), body, settings);

  it('reads a CRM object body, the legacy {value} form and a customised key/value body', () => {
    expect(call({ event: 'lead.created' }, { id: '55', properties: { email: 'a@b.test', mobilephone: '+12125550123' } })).toMatchObject({
      kind: 'contact',
      contactId: '55',
      type: 'lead.created',
      correlation: { leadId: '55' },
      known: { mobilephone: '+12125550123' },
    });
    expect(call({ event: 'contact.updated' }, { vid: 56, properties: { phone: { value: '+12125550123' } } })).toMatchObject({ contactId: '56', known: { phone: '+12125550123' } });
    expect(
      call({ event: 'appointment.booked', objectType: 'meeting' }, { hs_object_id: '77', hs_meeting_start_time: '1773347400000', hs_meeting_title: 'Consultation' }),
    ).toMatchObject({
      kind: 'associated',
      objectType: 'meetings',
      objectId: '77',
      correlation: { appointmentId: '77' },
      data: expect.objectContaining({ startsAt: '2026-03-12T20:30:00.000Z', properties: expect.objectContaining({ hs_meeting_title: 'Consultation' }) }),
    });
  });

  it('keys a call on its bytes: the same retried call dedupes, a changed object does not', () => {
    const a = call({ event: 'contact.updated' }, { id: '1', properties: { city: 'A' } });
    expect(call({ event: 'contact.updated' }, { id: '1', properties: { city: 'A' } }).dedupeKey).toBe(a.dedupeKey);
    expect(call({ event: 'contact.updated' }, { id: '1', properties: { city: 'B' } }).dedupeKey).not.toBe(a.dedupeKey);
  });

  it('names the missing piece: the event, a usable object type, the id, a start time', () => {
    expect(() => call({}, { id: '1' })).toThrow(expect.objectContaining({ field: 'query.event' }));
    expect(() => call({ event: 'order.created' }, { id: '1' })).toThrow(expect.objectContaining({ field: 'query.event' }));
    expect(() => call({ event: 'contact.updated', objectType: 'ticket' }, { id: '1' })).toThrow(expect.objectContaining({ field: 'query.objectType' }));
    expect(() => call({ event: 'contact.updated' }, { properties: {} })).toThrow(expect.objectContaining({ field: 'objectId' }));
    expect(() => call({ event: 'appointment.rescheduled' }, { id: '1' })).toThrow(expect.objectContaining({ field: 'properties.hs_meeting_start_time' }));
  });
});
