import type { ConsentMessageType, ConsentSource, ConsentState } from '@optline/consent';

/**
 * The canonical event catalogue: every event a flow can trigger on. Plugins translate their
 * vendor's webhooks into these; the hub emits the scheduled ones itself.
 */
export const CANONICAL_EVENTS = {
  'contact.created': { description: 'A person was created in a connected system (CRM, store).', correlation: [] },
  'contact.updated': { description: 'A person changed in a connected system.', correlation: [] },
  'form.submitted': { description: 'A web form was submitted (web-forms plugin).', correlation: ['formId'] },
  'checkout.updated': { description: 'A checkout was created or changed and is not completed yet.', correlation: ['checkoutToken'] },
  'order.created': { description: 'An order was placed.', correlation: ['orderId', 'checkoutToken'] },
  'order.shipped': { description: 'An order (or part of it) left the warehouse.', correlation: ['orderId', 'fulfillmentId'] },
  'order.delivered': { description: 'A shipment was delivered.', correlation: ['orderId', 'fulfillmentId'] },
  'appointment.booked': { description: 'An appointment was booked.', correlation: ['appointmentId'] },
  'appointment.rescheduled': { description: 'An appointment moved to another time.', correlation: ['appointmentId'] },
  'appointment.cancelled': { description: 'An appointment was cancelled.', correlation: ['appointmentId'] },
  'appointment.completed': { description: 'A booked appointment ended (its end time passed without a cancellation or move).', correlation: ['appointmentId'] },
  'deal.stage_changed': { description: 'A CRM deal moved to another stage.', correlation: ['dealId'] },
  'lead.created': { description: 'A new lead arrived in a CRM.', correlation: ['leadId'] },
  'sms.received': { description: 'An inbound SMS was received (emitted by the hub).', correlation: ['conversationId'] },
  'consent.changed': { description: "A person's consent changed (emitted by the hub).", correlation: [] },
  'contact.date_reached': { description: 'A dated contact attribute (birthday, anniversary) is today (emitted by the hub).', correlation: ['dateKey'] },
  'customer.lapsed': { description: 'A customer has not ordered for the configured time (emitted by the hub).', correlation: [] },
  'campaign.scheduled': { description: 'A scheduled campaign is due (emitted by the hub).', correlation: ['campaignId'] },
} as const satisfies Record<string, { description: string; correlation: readonly string[] }>;

export type CanonicalEventType = keyof typeof CANONICAL_EVENTS;
export const CANONICAL_EVENT_TYPES = Object.keys(CANONICAL_EVENTS) as CanonicalEventType[];

export function isCanonicalEventType(value: unknown): value is CanonicalEventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CANONICAL_EVENTS, value);
}

/**
 * Who the event is about. The hub upserts the contact from this before any flow sees the event:
 * by phone when there is a usable one, otherwise it tries the external id. Omit what you do not
 * know; omitted fields never overwrite what the hub already has.
 */
export interface CanonicalContactHint {
  /** Any format; normalised with the workspace's default country. */
  phone?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** An explicit IANA zone (store address, calendar attendee), never a guess. */
  timeZone?: string | null;
  /** The person's id in the remote system, e.g. `{ source: 'shopify', id: '207119551' }`. */
  externalId?: { source: string; id: string };
  attributes?: Record<string, unknown>;
}

/**
 * A consent statement carried by the event (a ticked web-form box, Shopify's
 * `sms_marketing_consent`). Applied to the ledger by the hub with this evidence.
 */
export interface CanonicalConsentHint {
  types: ConsentMessageType[];
  state: ConsentState;
  /** Everything needed to demonstrate the consent later: form fields, IP, user agent, page URL, vendor fields. */
  evidence: Record<string, unknown>;
  disclosureId?: string | null;
  source: ConsentSource;
}

/** What `plugin.toEvents` returns: one fact from the outside world in the hub's vocabulary. */
export interface CanonicalEvent {
  type: CanonicalEventType;
  /**
   * Unique per installation for this fact: the vendor's event or delivery id, or a hash of the
   * payload. A second event with the same key is answered 200 and not processed again.
   */
  dedupeKey: string;
  /** When it happened at the source (not when we received it). */
  occurredAt: Date;
  contact?: CanonicalContactHint;
  consent?: CanonicalConsentHint;
  /** Keys that tie related events together, e.g. `{ checkoutToken }` so `order.created` ends an abandoned-cart run. */
  correlation: Record<string, string>;
  /** The event's fields, available to flow filters and templates as `event.*`. Keep personal data to what flows need. */
  data: Record<string, unknown>;
}
