import { createHash } from 'node:crypto';
import { PayloadError } from '@optline/plugin-sdk';
import type { PluginRequest } from '@optline/plugin-sdk';
import { HUBSPOT_MAPPABLE_EVENTS, HubspotMappableEvent } from '../config/hubspot-config.dto';
import { correlationFor, EventMappingSettings, EventPlan, HUBSPOT_SOURCE, PERSON_PROPERTIES } from './hubspot-event-plan';

export const WORKFLOW_OBJECT_TYPES = ['contact', 'deal', 'meeting'] as const;
export type WorkflowObjectType = (typeof WORKFLOW_OBJECT_TYPES)[number];

const STARTS_AT_PROPERTIES = ['hs_meeting_start_time', 'startsAt', 'starts_at'];
const ENDS_AT_PROPERTIES = ['hs_meeting_end_time', 'endsAt', 'ends_at'];

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A CRM property value as HubSpot may send it: a scalar, or `{ value }` in the legacy contact format. */
function propertyValue(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null && 'value' in value) return propertyValue((value as { value: unknown }).value);
  return undefined;
}

function propertiesOf(body: Record<string, unknown>): Record<string, string | null> {
  const source = typeof body.properties === 'object' && body.properties !== null && !Array.isArray(body.properties) ? (body.properties as Record<string, unknown>) : body;
  const properties: Record<string, string | null> = {};
  for (const [name, raw] of Object.entries(source)) {
    const value = propertyValue(raw);
    if (value !== undefined) properties[name] = value;
  }
  return properties;
}

/** An instant from an ISO string or epoch milliseconds (HubSpot sends both), as ISO; null when unreadable. */
function instant(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = /^\d{10,16}$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const firstOf = (properties: Record<string, string | null>, names: string[]) => names.map((n) => properties[n]).find((v) => v !== undefined && v !== null && v !== '');

/**
 * A workflow "send a webhook" call: the body is one CRM object (as the CRM API returns it, or the
 * key/value body an admin customised), and the URL's query says what it means:
 * `?event=appointment.booked&objectType=meeting`. Pure: the contacts are read afterwards.
 *
 * The call carries no event id, so the dedupe key is the event, the object and a hash of the
 * body: HubSpot's retries of one call are the same bytes, while a later run of the workflow on a
 * changed object is a new event.
 */
export function planWorkflowCall(request: Pick<PluginRequest, 'query' | 'rawBody' | 'receivedAt'>, body: Record<string, unknown>, settings: EventMappingSettings): EventPlan {
  const eventParam = single(request.query.event);
  if (!eventParam || !(HUBSPOT_MAPPABLE_EVENTS as readonly string[]).includes(eventParam)) {
    throw new PayloadError(`add ?event=<one of ${HUBSPOT_MAPPABLE_EVENTS.join(', ')}> to the workflow's webhook URL`, 'query.event');
  }
  const type = eventParam as HubspotMappableEvent;
  const objectTypeParam = single(request.query.objectType) ?? 'contact';
  if (!(WORKFLOW_OBJECT_TYPES as readonly string[]).includes(objectTypeParam)) {
    throw new PayloadError(`objectType must be one of ${WORKFLOW_OBJECT_TYPES.join(', ')}`, 'query.objectType');
  }
  const objectType = objectTypeParam as WorkflowObjectType;
  const properties = propertiesOf(body);
  const objectId = String(propertyValue(body.objectId) ?? propertyValue(body.id) ?? propertyValue(body.vid) ?? properties.hs_object_id ?? '');
  if (!/^\d{1,20}$/.test(objectId)) throw new PayloadError('the body must carry the object id (id, objectId or properties.hs_object_id)', 'objectId');

  const startsAt = instant(firstOf(properties, STARTS_AT_PROPERTIES));
  if ((type === 'appointment.booked' || type === 'appointment.rescheduled') && !startsAt) {
    throw new PayloadError(`${type} needs the start time: include hs_meeting_start_time (or startsAt) in the webhook body`, 'properties.hs_meeting_start_time');
  }
  const endsAt = instant(firstOf(properties, ENDS_AT_PROPERTIES));

  const hidden = new Set([...settings.phoneProperties, ...PERSON_PROPERTIES]);
  const shared = Object.fromEntries(Object.entries(properties).filter(([name]) => !hidden.has(name)));
  const ids = {
    objectId: properties.appointmentId ?? objectId,
    ...(objectType === 'contact' && { contactId: objectId }),
    ...(objectType === 'deal' && { dealId: objectId }),
  };
  const digest = createHash('sha256').update(request.rawBody).digest('hex').slice(0, 32);
  const base = {
    dedupeKey: `workflow:${type}:${objectType}:${objectId}:${digest}`,
    occurredAt: request.receivedAt,
    type,
    correlation: correlationFor(type, ids),
    data: {
      source: HUBSPOT_SOURCE,
      workflow: true,
      objectType,
      objectId,
      properties: shared,
      ...(startsAt && { startsAt }),
      ...(endsAt && { endsAt }),
      ...(objectType === 'deal' && { dealId: objectId, ...(properties.dealstage && { dealStage: properties.dealstage }) }),
    },
  };
  if (objectType === 'contact') return { ...base, kind: 'contact', contactId: objectId, known: properties, data: { ...base.data, hubspotContactId: objectId } };
  return { ...base, kind: 'associated', objectType: objectType === 'deal' ? 'deals' : 'meetings', objectId };
}
