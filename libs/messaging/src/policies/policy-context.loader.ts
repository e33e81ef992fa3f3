import { Injectable } from '@nestjs/common';
import { ConsentMessageType, ConsentState, SendingFactsQuery } from '@optline/consent';
import { Contact, ContactService, phoneGeo } from '@optline/contacts';
import { Clock, Workspace } from '@optline/core';
import { Message } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { resolveZones } from '../quiet-hours/zone-resolution';
import { STATE_RULES } from '../quiet-hours/state-windows';
import { stateCapFor } from './frequency-cap.policy';
import { ContactHistory, PolicyContext } from './send-policy';

const NO_CONSENT: Record<ConsentMessageType, ConsentState> = { marketing: 'none', transactional: 'none', conversational: 'none' };

const EMPTY_HISTORY: ContactHistory = { handedOffInCapWindow: 0, marketingInStateCapWindow: 0, contactedBefore: false, lastSystemHandoff: {}, lastOptInKeywordAt: null };

const HOUR = 3_600_000;

/**
 * The one window every state cap counts over (24 h today), or null if they ever differ: then the
 * history of a contact can be asked before its number (and so its state) is known.
 */
const STATE_CAP_WINDOW_HOURS: number | null = (() => {
  const windows = new Set(Object.values(STATE_RULES).flatMap((rule) => (rule.cap ? [rule.cap.windowHours] : [])));
  return windows.size === 1 ? [...windows][0] : null;
})();

/** The message as the policies see it (a real row at send time, a virtual one for a check). */
export type PolicyMessage = PolicyContext['message'];

export function policyMessageOf(message: Message): PolicyMessage {
  return {
    id: message.id,
    type: message.type,
    systemKind: message.origin?.systemKind ?? null,
    status: message.status,
    createdAt: message.createdAt,
    idempotencyKey: message.idempotencyKey,
    answersHeld: Boolean(message.origin?.conversationId || message.origin?.inReplyTo),
    reoptIn: Boolean(message.origin?.reoptIn && message.origin?.inReplyTo && !message.origin?.conversationId),
  };
}

/** One message to decide: the contact it goes to (null when only a phone is known) or that phone. */
export interface PolicySubject {
  message: PolicyMessage;
  contact: Contact | null;
  phoneIfNoContact?: string | null;
}

/**
 * Loads everything the policies decide on — suppression, consent states, the number's zones and
 * state, the contact's history in the log — at the moment of sending, for a whole batch of
 * messages of one workspace in two concurrent queries (consent and suppression, history), however
 * many messages. The caller must not put two messages to the same contact in one batch: each
 * one's history must include the other's hand-off (see SendDispatcher's rounds).
 */
@Injectable()
export class PolicyContextLoader {
  constructor(
    private readonly facts: SendingFactsQuery,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    private readonly contacts: ContactService,
  ) {}

  /**
   * A check of a contact known by id (SendGateway.check): the contact, its consent and
   * suppression, and its history are read at the same time — one round of three statements
   * instead of the contact first and the other two after it. Answers what `load` would for the
   * same contact; throws NotFound (404) for an id that is not a contact of the workspace.
   */
  async loadForContactId(workspace: Workspace, message: PolicyMessage, contactId: string): Promise<{ contact: Contact; context: PolicyContext }> {
    if (STATE_CAP_WINDOW_HOURS === null) {
      const contact = await this.contacts.get(workspace.id, contactId);
      return { contact, context: await this.load(workspace, message, contact) };
    }
    const now = this.clock.now();
    const cap = workspace.policy.frequencyCap;
    // The state cap's count is asked for every contact and used only when its state has a cap.
    const ask = { contactId, excludeId: message.id, stateCapSince: new Date(now.getTime() - STATE_CAP_WINDOW_HOURS * HOUR) };
    const [contact, facts, [history]] = await Promise.all([
      this.contacts.get(workspace.id, contactId),
      this.facts.forContacts(workspace.id, [contactId]),
      this.messages.historyForMany(workspace.id, [ask], { capSince: new Date(now.getTime() - cap.windowHours * HOUR), capTypes: cap.types }),
    ]);
    const geo = contact.phone ? await phoneGeo(contact.phone) : null;
    const region = geo?.country === 'US' ? geo.region : null;
    return {
      contact,
      context: {
        now,
        workspace: { id: workspace.id, optInMode: workspace.optInMode, timeZone: workspace.timeZone, policy: workspace.policy },
        message,
        phone: contact.phone,
        contactId: contact.id,
        suppressed: facts.suppressedContacts.has(contact.id),
        consent: { ...NO_CONSENT, ...facts.states.get(contact.id) },
        region,
        zone: resolveZones(contact.timeZone, geo?.timeZones ?? [], workspace.timeZone),
        history: stateCapFor(region) ? history : { ...history, marketingInStateCapWindow: 0 },
      },
    };
  }

  async load(workspace: Workspace, message: PolicyMessage, contact: Contact | null, phoneIfNoContact: string | null = null): Promise<PolicyContext> {
    const [context] = await this.loadMany(workspace, [{ message, contact, phoneIfNoContact }]);
    return context;
  }

  /** result[i] is the context of subjects[i]. */
  async loadMany(workspace: Workspace, subjects: PolicySubject[]): Promise<PolicyContext[]> {
    if (subjects.length === 0) return [];
    const now = this.clock.now();
    const phones = subjects.map((s) => (s.contact ? s.contact.phone : (s.phoneIfNoContact ?? null)));
    const geos = await Promise.all(phones.map((phone) => (phone ? phoneGeo(phone) : null)));
    const regions = geos.map((geo) => (geo?.country === 'US' ? geo.region : null));
    const cap = workspace.policy.frequencyCap;
    const contactIds = subjects.filter((s) => s.contact).map((s) => s.contact!.id);
    const asks = subjects
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.contact)
      .map(({ s, i }) => {
        const stateCap = stateCapFor(regions[i]);
        return { index: i, contactId: s.contact!.id, excludeId: s.message.id, stateCapSince: stateCap ? new Date(now.getTime() - stateCap.windowHours * HOUR) : null };
      });
    const [{ suppressed, states }, histories] = await Promise.all([
      this.facts.forSending(workspace.id, contactIds, phones.filter((p): p is string => p !== null)),
      this.messages.historyForMany(workspace.id, asks, { capSince: new Date(now.getTime() - cap.windowHours * HOUR), capTypes: cap.types }),
    ]);
    const historyOf = new Map(asks.map((ask, k) => [ask.index, histories[k]]));
    return subjects.map((subject, i) => {
      const { contact, message } = subject;
      const phone = phones[i];
      return {
        now,
        workspace: { id: workspace.id, optInMode: workspace.optInMode, timeZone: workspace.timeZone, policy: workspace.policy },
        message,
        phone,
        contactId: contact?.id ?? null,
        suppressed: phone !== null && suppressed.has(phone),
        consent: { ...NO_CONSENT, ...(contact ? states.get(contact.id) : undefined) },
        region: regions[i],
        zone: resolveZones(contact?.timeZone, geos[i]?.timeZones ?? [], workspace.timeZone),
        history: historyOf.get(i) ?? EMPTY_HISTORY,
      };
    });
  }
}
