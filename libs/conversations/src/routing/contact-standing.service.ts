import { Injectable } from '@nestjs/common';
import { ConsentService, ConsentState } from '@optline/consent';
import { Contact, ContactService } from '@optline/contacts';

/** A conversation's contact and where they stand on conversational texts. */
export interface Standing {
  contact: Contact;
  conversational: ConsentState;
}

@Injectable()
export class ContactStanding {
  constructor(
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
  ) {}

  async of(workspaceId: string, contactId: string): Promise<Standing> {
    const [contact, states] = await Promise.all([this.contacts.get(workspaceId, contactId), this.consent.statesFor(workspaceId, [contactId])]);
    return { contact, conversational: states.get(contactId)?.conversational ?? 'none' };
  }
}
