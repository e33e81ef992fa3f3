import type { CanonicalContactHint, CanonicalEvent, CanonicalEventType } from '@optline/plugin-sdk';
import type { HubspotMappableEvent } from '../config/hubspot-config.dto';
import { classifyEvent, eventDedupeKey, HubspotWebhookEventDto } from './hubspot-webhook-event';

/** The external-id source under which the hub keeps HubSpot contact ids. */
export const HUBSPOT_SOURCE = 'hubspot';
export const LIFECYCLE_PROPERTY = 'lifecyclestage';
export const DEAL_STAGE_PROPERTY = 'dealstage';
/**
 * Contact properties that describe the person; read into the contact, never copied into event data.
 * `createdate` becomes the `customerSince` attribute (the anniversary template's date).
 */
export const PERSON_PROPERTIES = ['email', 'firstname', 'lastname', 'createdate'];

/** The config fields the planner reads, with defaults applied. */
export interface EventMappingSettings {
  portalId: number;
  phoneProperties: string[];
  lifecycleStageEvents: Record<string, HubspotMappableEvent>;
  dealStageEvents: Record<string, HubspotMappableEvent>;
}

interface PlanBase {
  dedupeKey: string;
  occurredAt: Date;
  type: CanonicalEventType;
  data: Record<string, unknown>;
  correlation: Record<string, string>;
}

export type AssociatedObjectType = 'deals' | 'meetings';

/** Key of an object's contact list in the map `buildEvents` receives. */
export const associationKey = (objectType: AssociatedObjectType, objectId: string) => `${objectType}/${objectId}`;

/** What one HubSpot event turns into, before the CRM is read. */
export type EventPlan =
  /**
   * An event about one contact: read the contact, then emit. `known` holds properties that came
   * with the request (a workflow call), so the CRM is read only when they lack a phone.
   */
  | (PlanBase & { kind: 'contact'; contactId: string; known?: Record<string, string | null> })
  /** An event about a deal (or a meeting): read its contacts, then emit one event per contact. */
  | (PlanBase & { kind: 'associated'; objectType: AssociatedObjectType; objectId: string })
  /** The contact was deleted in HubSpot, or a GDPR deletion was asked for: erase it here too. */
  | { kind: 'erase'; contactId: string; dedupeKey: string; reason: 'deletion' | 'privacyDeletion' }
  | { kind: 'skip'; dedupeKey: string; reason: string };

/** Correlation keys a flow can match on (CANONICAL_EVENTS names the key per type). */
export function correlationFor(type: CanonicalEventType, ids: { contactId?: string; dealId?: string; objectId: string }): Record<string, string> {
  switch (type) {
    case 'lead.created':
      return { leadId: ids.contactId ?? ids.objectId };
    case 'deal.stage_changed':
      return ids.dealId ? { dealId: ids.dealId } : {};
    case 'appointment.booked':
    case 'appointment.rescheduled':
    case 'appointment.cancelled':
      return { appointmentId: ids.objectId, ...(ids.dealId && { dealId: ids.dealId }) };
    default:
      return {};
  }
}

/**
 * Decides what a HubSpot event means for the hub, from the event alone (pure):
 * - contact creation → `contact.created`;
 * - a lifecycle-stage change → the mapped event (`lead` → `lead.created` by default), else `contact.updated`;
 * - any other subscribed contact property (a phone above all) → `contact.updated`;
 * - a deal-stage change → the mapped event, else `deal.stage_changed`, for each contact of the deal;
 * - contact deletion or privacy deletion → erasure;
 * - everything else (other portals, merges, restores, association changes, other objects) is skipped.
 */
export function planEvent(event: HubspotWebhookEventDto, settings: EventMappingSettings): EventPlan {
  const dedupeKey = eventDedupeKey(event);
  if (event.portalId !== settings.portalId) return { kind: 'skip', dedupeKey, reason: `portal ${event.portalId} is not this installation's portal ${settings.portalId}` };
  const { object, change } = classifyEvent(event);
  const objectId = String(event.objectId);
  const occurredAt = new Date(event.occurredAt);
  const common = {
    source: HUBSPOT_SOURCE,
    portalId: event.portalId,
    subscriptionType: event.subscriptionType,
    eventId: event.eventId,
    ...(event.changeSource && { changeSource: event.changeSource }),
  };

  if (object === 'contact') {
    const contactId = objectId;
    switch (change) {
      case 'creation':
        return { kind: 'contact', contactId, dedupeKey, occurredAt, type: 'contact.created', correlation: {}, data: { ...common, hubspotContactId: contactId, ...(event.sourceId && { sourceId: event.sourceId }) } };
      case 'deletion':
      case 'privacyDeletion':
        return { kind: 'erase', contactId, dedupeKey, reason: change };
      case 'propertyChange': {
        const property = event.propertyName;
        if (!property) return { kind: 'skip', dedupeKey, reason: 'property change without propertyName' };
        if (property === LIFECYCLE_PROPERTY) {
          const stage = event.propertyValue ?? '';
          const type = settings.lifecycleStageEvents[stage] ?? 'contact.updated';
          return {
            kind: 'contact',
            contactId,
            dedupeKey,
            occurredAt,
            type,
            correlation: correlationFor(type, { contactId, objectId }),
            data: { ...common, hubspotContactId: contactId, changedProperty: property, lifecycleStage: stage },
          };
        }
        // Phone, e-mail and names are personal data: the contact carries them, the event only says what changed.
        const isPersonal = settings.phoneProperties.includes(property) || PERSON_PROPERTIES.includes(property);
        return {
          kind: 'contact',
          contactId,
          dedupeKey,
          occurredAt,
          type: 'contact.updated',
          correlation: {},
          data: { ...common, hubspotContactId: contactId, changedProperty: property, ...(!isPersonal && { propertyValue: event.propertyValue ?? null }) },
        };
      }
      default:
        return { kind: 'skip', dedupeKey, reason: `contact ${change} events start nothing` };
    }
  }

  if (object === 'deal' && change === 'propertyChange' && event.propertyName === DEAL_STAGE_PROPERTY) {
    const dealId = objectId;
    const stage = event.propertyValue ?? '';
    const type = settings.dealStageEvents[stage] ?? 'deal.stage_changed';
    return {
      kind: 'associated',
      objectType: 'deals',
      objectId: dealId,
      dedupeKey,
      occurredAt,
      type,
      correlation: correlationFor(type, { dealId, objectId }),
      data: { ...common, dealId, dealStage: stage },
    };
  }
  return { kind: 'skip', dedupeKey, reason: `${event.subscriptionType}${event.propertyName ? ` (${event.propertyName})` : ''} starts nothing` };
}

/** Who a contact event is about, once the CRM was read (`undefined` when HubSpot no longer has it). */
export type ContactHints = Map<string, CanonicalContactHint>;

/** The hint for a contact HubSpot could not return: the hub may still know it by its HubSpot id. */
export const externalOnlyHint = (contactId: string): CanonicalContactHint => ({ externalId: { source: HUBSPOT_SOURCE, id: contactId } });

/**
 * Turns the plans into canonical events once contacts (and deals' contacts) were read. A deal (or
 * meeting) event becomes one event per associated contact, keyed `<dedupeKey>:contact:<id>`, so each
 * person can be enrolled; a deal with no contact still yields one event, which starts nothing.
 */
export function buildEvents(plans: EventPlan[], contacts: ContactHints, associated: Map<string, string[]>): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  for (const plan of plans) {
    if (plan.kind === 'contact') {
      events.push({
        type: plan.type,
        dedupeKey: plan.dedupeKey,
        occurredAt: plan.occurredAt,
        contact: contacts.get(plan.contactId) ?? externalOnlyHint(plan.contactId),
        correlation: plan.correlation,
        data: plan.data,
      });
    } else if (plan.kind === 'associated') {
      const ids = associated.get(associationKey(plan.objectType, plan.objectId)) ?? [];
      if (ids.length === 0) {
        events.push({ type: plan.type, dedupeKey: plan.dedupeKey, occurredAt: plan.occurredAt, correlation: plan.correlation, data: { ...plan.data, hubspotContactIds: [] } });
      }
      for (const contactId of ids) {
        events.push({
          type: plan.type,
          dedupeKey: `${plan.dedupeKey}:contact:${contactId}`,
          occurredAt: plan.occurredAt,
          contact: contacts.get(contactId) ?? externalOnlyHint(contactId),
          correlation: plan.correlation,
          data: { ...plan.data, hubspotContactId: contactId, hubspotContactIds: ids },
        });
      }
    }
  }
  return events;
}
