import type { Contact } from './contact.entity';
import type { ResolvedTimeZone } from './time-zone';
import type { ContactResponseDto } from './contact.responses';

export function presentContact(contact: Contact, resolved?: ResolvedTimeZone): ContactResponseDto {
  return {
    id: contact.id,
    phone: contact.phone,
    email: contact.email,
    firstName: contact.firstName,
    lastName: contact.lastName,
    timeZone: contact.timeZone,
    ...(resolved && { resolvedTimeZone: resolved }),
    attributes: contact.attributes,
    externalIds: contact.externalIds,
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
    erasedAt: contact.erasedAt,
  };
}
