import { Injectable } from '@nestjs/common';
import { DomainError } from '@optline/core';
import { CONSENT_MESSAGE_TYPES, PluginHost, PreferenceLinks } from '@optline/plugin-sdk';
import type { Contact, ConsentMessageType, ConsentState, HostDisclosure, HostWorkspace } from '@optline/plugin-sdk';

export interface PreferenceView {
  workspace: HostWorkspace;
  contact: Contact;
  states: Record<ConsentMessageType, ConsentState>;
  /** Shown when the person may tick a type back on. */
  disclosure: HostDisclosure | null;
}

export interface PreferenceRequestMeta {
  ip: string;
  userAgent: string | null;
}

export type PreferenceChange = { action: 'save'; wanted: ConsentMessageType[] } | { action: 'stop_all' };

/** The states that count as "receiving" on the page (a pending opt-in is shown ticked). */
const RECEIVING: ConsentState[] = ['opted_in', 'pending'];

/** What a save changes, per type: the opt-ins and opt-outs to record. Pure. */
export function preferenceDiff(
  states: Record<ConsentMessageType, ConsentState>,
  wanted: ConsentMessageType[],
): { optIn: ConsentMessageType[]; optOut: ConsentMessageType[] } {
  const optIn = CONSENT_MESSAGE_TYPES.filter((t) => wanted.includes(t) && !RECEIVING.includes(states[t]));
  const optOut = CONSENT_MESSAGE_TYPES.filter((t) => !wanted.includes(t) && RECEIVING.includes(states[t]));
  return { optIn, optOut };
}

/**
 * The preference page's logic: who a signed link belongs to, their current consent, and each
 * change as a ledger entry with source `web_form`. Works whether or not the workspace installed
 * the web-forms plugin: withdrawing consent must always be possible (GDPR Art. 7(3)).
 */
@Injectable()
export class PreferenceService {
  constructor(
    private readonly host: PluginHost,
    private readonly links: PreferenceLinks,
  ) {}

  async view(token: string): Promise<PreferenceView> {
    const owner = this.links.verify(token);
    if (!owner) throw new DomainError('not_found', 'preference_link_invalid', 'This link is not valid. Reply STOP to any of our texts to stop them.');
    const contact = await this.host.findContact(owner.workspaceId, { id: owner.contactId });
    if (!contact) throw new DomainError('not_found', 'preference_link_invalid', 'This link is not valid. Reply STOP to any of our texts to stop them.');
    if (contact.erasedAt) throw new DomainError('gone', 'contact_erased', 'Your details were deleted at your request; we no longer text this number.');
    const [workspace, states, disclosure] = await Promise.all([
      this.host.workspace(owner.workspaceId),
      this.host.consentStates(owner.workspaceId, [contact.id]),
      this.host.currentDisclosure(owner.workspaceId),
    ]);
    return { workspace, contact, states: states.get(contact.id) ?? { marketing: 'none', transactional: 'none', conversational: 'none' }, disclosure };
  }

  /** Applies a change and returns the types that changed. */
  async change(token: string, change: PreferenceChange, meta: PreferenceRequestMeta): Promise<{ optedIn: ConsentMessageType[]; optedOut: ConsentMessageType[] | 'all' }> {
    const view = await this.view(token);
    const workspaceId = view.workspace.id;
    const evidence = { page: 'preferences', action: change.action, ip: meta.ip, userAgent: meta.userAgent };
    if (change.action === 'stop_all') {
      await this.host.recordConsent(workspaceId, { contactId: view.contact.id, types: 'all', state: 'opted_out', source: 'web_form', evidence });
      return { optedIn: [], optedOut: 'all' };
    }
    const { optIn, optOut } = preferenceDiff(view.states, change.wanted);
    if (optOut.length > 0) {
      await this.host.recordConsent(workspaceId, { contactId: view.contact.id, types: optOut, state: 'opted_out', source: 'web_form', evidence });
    }
    if (optIn.length > 0) {
      await this.host.recordConsent(workspaceId, {
        contactId: view.contact.id,
        types: optIn,
        state: 'opted_in',
        source: 'web_form',
        evidence: { ...evidence, checkbox: true, disclosureVersion: view.disclosure?.version ?? null },
        ...(view.disclosure && { disclosureId: view.disclosure.id }),
      });
    }
    return { optedIn: optIn, optedOut: optOut };
  }
}
