import type { Contact } from './contact.entity';
import type { ResolvedTimeZone } from './time-zone';

export function presentContact(contact: Contact, resolved?: ResolvedTimeZone) {
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

export const CONTACT_EXAMPLE = {
  id: '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10',
  phone: '+14155550100',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  timeZone: null,
  resolvedTimeZone: { zones: ['America/Los_Angeles'], source: 'phone' },
  attributes: { birthday: '1990-12-10', tags: ['vip'] },
  externalIds: { shopify: '7012345678' },
  createdAt: '2026-11-22T08:00:00.000Z',
  updatedAt: '2026-11-22T08:00:00.000Z',
  erasedAt: null,
};
