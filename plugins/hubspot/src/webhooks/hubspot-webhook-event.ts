import { flattenValidationErrors } from '@optline/core';
import { PayloadError } from '@optline/plugin-sdk';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength, validateSync } from 'class-validator';

/** HubSpot sends at most 100 events per request. */
export const MAX_EVENTS_PER_DELIVERY = 100;

/**
 * One event of a webhook-subscription delivery, as HubSpot sends it. Fields HubSpot may add later
 * are kept (not whitelisted away) and ignored.
 */
export class HubspotWebhookEventDto {
  @IsInt()
  @Min(0)
  eventId: number;

  @IsInt()
  @Min(0)
  subscriptionId: number;

  @IsInt()
  @Min(1)
  portalId: number;

  @IsOptional()
  @IsInt()
  appId?: number;

  /** Epoch milliseconds. */
  @IsInt()
  @Min(0)
  occurredAt: number;

  /** `contact.creation`, `deal.propertyChange`, `object.creation`... */
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  subscriptionType: string;

  @IsOptional()
  @IsInt()
  attemptNumber?: number;

  @IsInt()
  @Min(0)
  objectId: number;

  /** Only on the generic `object.*` types: `0-1` contact, `0-3` deal. */
  @IsOptional()
  @IsString()
  objectTypeId?: string;

  @IsOptional()
  @IsString()
  changeSource?: string;

  @IsOptional()
  @IsString()
  changeFlag?: string;

  @IsOptional()
  @IsString()
  sourceId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  propertyName?: string;

  @IsOptional()
  @IsString()
  propertyValue?: string;
}

/** What an event is about, whichever of HubSpot's two naming forms it used. */
export type HubspotObjectKind = 'contact' | 'deal' | 'other';
export type HubspotChange = 'creation' | 'deletion' | 'privacyDeletion' | 'propertyChange' | 'merge' | 'restore' | 'associationChange' | 'other';

const OBJECT_TYPE_IDS: Record<string, HubspotObjectKind> = { '0-1': 'contact', '0-3': 'deal' };
const CHANGES = new Set<HubspotChange>(['creation', 'deletion', 'privacyDeletion', 'propertyChange', 'merge', 'restore', 'associationChange']);

/**
 * Reads `contact.creation` and the generic `object.creation` + `objectTypeId: "0-1"` alike.
 * (HubSpot's newer subscriptions use the generic form; both arrive in the same delivery.)
 */
export function classifyEvent(event: Pick<HubspotWebhookEventDto, 'subscriptionType' | 'objectTypeId'>): { object: HubspotObjectKind; change: HubspotChange } {
  const [prefix, rawChange] = event.subscriptionType.split('.', 2);
  const object: HubspotObjectKind = prefix === 'object' ? (OBJECT_TYPE_IDS[event.objectTypeId ?? ''] ?? 'other') : prefix === 'contact' || prefix === 'deal' ? prefix : 'other';
  const change = CHANGES.has(rawChange as HubspotChange) ? (rawChange as HubspotChange) : 'other';
  return { object, change };
}

/**
 * The dedupe key HubSpot's docs suggest: eventId alone may repeat across subscriptions, so the
 * portal, subscription and occurrence time are part of it.
 */
export function eventDedupeKey(event: Pick<HubspotWebhookEventDto, 'portalId' | 'subscriptionId' | 'eventId' | 'occurredAt'>): string {
  return `${event.portalId}:${event.subscriptionId}:${event.eventId}:${event.occurredAt}`;
}

/**
 * Validates a subscription delivery (a JSON array of events). Throws PayloadError naming the first
 * failing field, e.g. `[2].occurredAt`, which the ingress answers with 422.
 */
export function parseDelivery(body: unknown): HubspotWebhookEventDto[] {
  if (!Array.isArray(body)) throw new PayloadError('a webhook delivery is a JSON array of events', 'body');
  if (body.length > MAX_EVENTS_PER_DELIVERY) throw new PayloadError(`a delivery holds at most ${MAX_EVENTS_PER_DELIVERY} events, got ${body.length}`, 'body');
  return body.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new PayloadError('each event must be a JSON object', `[${i}]`);
    const event = plainToInstance(HubspotWebhookEventDto, item);
    const errors = validateSync(event, { whitelist: false, forbidUnknownValues: false });
    if (errors.length > 0) {
      const [first] = flattenValidationErrors(errors, `[${i}]`);
      throw new PayloadError(first.message, first.field);
    }
    return event;
  });
}
