import { Injectable } from '@nestjs/common';
import { Contact, ContactService } from '@optline/contacts';
import { invalidField, NotFoundError } from '@optline/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A check's subject written as a contact id (anything else is read as a phone). */
export const isContactId = (ref: string): boolean => UUID.test(ref);

export interface RecipientRef {
  contactId?: string;
  phone?: string;
}

/** Turns "a contact id or a phone" into a contact: ids are looked up, phones upserted (batch first). */
@Injectable()
export class RecipientResolver {
  constructor(private readonly contacts: ContactService) {}

  async resolve(workspaceId: string, ref: RecipientRef): Promise<Contact> {
    if (ref.contactId) return this.contacts.get(workspaceId, ref.contactId);
    const { contact } = await this.contacts.upsertByPhone(workspaceId, { phone: ref.phone! });
    return contact;
  }

  /** result[i] is the contact of refs[i]; one lookup for the ids, one upsert for the phones. */
  async resolveMany(workspaceId: string, refs: RecipientRef[]): Promise<Contact[]> {
    const ids = refs.filter((r) => r.contactId).map((r) => r.contactId!);
    const phoneRefs = refs.map((r, i) => ({ r, i })).filter(({ r }) => !r.contactId);
    const [found, upserted] = await Promise.all([
      ids.length > 0 ? this.contacts.getMany(workspaceId, ids) : Promise.resolve([]),
      phoneRefs.length > 0 ? this.contacts.upsertMany(workspaceId, phoneRefs.map(({ r }) => ({ phone: r.phone! }))) : Promise.resolve([]),
    ]);
    const byId = new Map(found.map((c) => [c.id, c]));
    const byIndex = new Map(phoneRefs.map(({ i }, k) => [i, upserted[k]]));
    return refs.map((ref, i) => {
      if (!ref.contactId) return byIndex.get(i)!;
      const contact = byId.get(ref.contactId);
      if (!contact) throw new NotFoundError('Contact', ref.contactId);
      return contact;
    });
  }

  /**
   * For a check: a contact id must exist (404); a phone must be valid (422) but need not be a
   * contact yet — nothing is created.
   */
  async lookup(workspaceId: string, ref: string): Promise<{ contact: Contact | null; phone: string | null }> {
    if (isContactId(ref)) {
      const contact = await this.contacts.get(workspaceId, ref);
      return { contact, phone: contact.phone };
    }
    const phone = await this.contacts.normalize(workspaceId, ref);
    if (!phone) throw invalidField('phone', 'phone must be a valid phone number (E.164 such as +14155550100)');
    return { contact: await this.contacts.findByPhone(workspaceId, phone), phone };
  }
}
