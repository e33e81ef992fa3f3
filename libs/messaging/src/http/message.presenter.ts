import type { Link } from '../links/link.entity';
import type { Message } from '../message/message.entity';
import { maskPhone } from '@optline/core';

/** The API's view of a message. Phones are shown masked in lists; the contact id links to the full record. */
export function presentMessage(message: Message, links?: Link[]) {
  return {
    id: message.id,
    contactId: message.contactId,
    direction: message.direction,
    type: message.type,
    phone: maskPhone(message.phone),
    body: message.body,
    segments: message.segments,
    encoding: message.encoding,
    status: message.status,
    reason: message.reason,
    deferredUntil: message.deferredUntil,
    idempotencyKey: message.idempotencyKey,
    origin: message.origin,
    provider: message.provider,
    providerMessageId: message.providerMessageId,
    errorCode: message.errorCode,
    policies: message.policyTrace,
    createdAt: message.createdAt,
    handedOffAt: message.handedOffAt,
    sentAt: message.sentAt,
    deliveredAt: message.deliveredAt,
    ...(links && { links: links.map((l) => ({ code: l.code, url: l.url, clicks: l.clicks, firstClickedAt: l.firstClickedAt })) }),
  };
}

export const MESSAGE_EXAMPLE = {
  id: '9b2f6f7e-8d1c-4c55-a3b0-6f3c2d1e0a9b',
  contactId: '0b6c1f0e-3a8e-4d8e-9c1a-2f0a3c4d5e6f',
  direction: 'outbound',
  type: 'marketing',
  phone: '+1305•••0123',
  body: 'Acme: 20% off today only.\nReply STOP to opt out.',
  segments: 1,
  encoding: 'GSM-7',
  status: 'deferred',
  reason: 'quiet_hours',
  deferredUntil: '2026-11-21T13:04:10.000Z',
  idempotencyKey: 'campaign:spring:0b6c1f0e',
  origin: { campaignId: 'spring' },
  provider: null,
  providerMessageId: null,
  errorCode: null,
  policies: [
    { policy: 'suppression', outcome: 'pass', reason: 'not_suppressed' },
    { policy: 'consent', outcome: 'pass', reason: 'opted_in' },
    { policy: 'quiet_hours', outcome: 'defer', reason: 'quiet_hours', detail: { zones: ['America/New_York'], zoneSource: 'phone_exchange', stateRule: 'FL', closedBy: 'state:FL' } },
  ],
  createdAt: '2026-11-21T01:30:00.000Z',
  handedOffAt: null,
  sentAt: null,
  deliveredAt: null,
};
