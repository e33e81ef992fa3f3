import type { Link } from '../links/link.entity';
import type { Message } from '../message/message.entity';
import { maskPhone } from '@optline/core';
import type { MessageResponseDto } from './message.responses';

/** The API's view of a message. Phones are shown masked in lists; the contact id links to the full record. */
export function presentMessage(message: Message, links?: Link[]): MessageResponseDto {
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
