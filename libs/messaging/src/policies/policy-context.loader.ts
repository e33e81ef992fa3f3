import { Injectable } from '@nestjs/common';
import { ConsentMessageType, ConsentService, ConsentState, SuppressionService } from '@optline/consent';
import { Contact, phoneGeo } from '@optline/contacts';
import { Clock, Workspace } from '@optline/core';
import { Message } from '../message/message.entity';
import { MessageRepository } from '../message/message.repository';
import { resolveZones } from '../quiet-hours/zone-resolution';
import { stateCapFor } from './frequency-cap.policy';
import { ContactHistory, PolicyContext } from './send-policy';

const NO_CONSENT: Record<ConsentMessageType, ConsentState> = { marketing: 'none', transactional: 'none', conversational: 'none' };

const EMPTY_HISTORY: ContactHistory = { handedOffInCapWindow: 0, marketingInStateCapWindow: 0, contactedBefore: false, lastSystemHandoff: {}, lastOptInKeywordAt: null };

const HOUR = 3_600_000;

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
  };
}

/**
 * Loads everything the policies decide on — suppression, consent states, the number's zones and
 * state, the contact's history in the log — concurrently, at the moment of sending.
 */
@Injectable()
export class PolicyContextLoader {
  constructor(
    private readonly consent: ConsentService,
    private readonly suppression: SuppressionService,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
  ) {}

  async load(workspace: Workspace, message: PolicyMessage, contact: Contact | null, phoneIfNoContact: string | null = null): Promise<PolicyContext> {
    const now = this.clock.now();
    const phone = contact ? contact.phone : phoneIfNoContact;
    const [suppressed, states, geo] = await Promise.all([
      phone ? this.suppression.isSuppressed(workspace.id, phone) : Promise.resolve(false),
      contact ? this.consent.statesFor(workspace.id, [contact.id]) : Promise.resolve(new Map<string, Record<ConsentMessageType, ConsentState>>()),
      phone ? phoneGeo(phone) : Promise.resolve(null),
    ]);
    const region = geo?.country === 'US' ? geo.region : null;
    const cap = workspace.policy.frequencyCap;
    const stateCap = stateCapFor(region);
    const history = contact
      ? await this.messages.historyFor(workspace.id, contact.id, {
          excludeId: message.id,
          capSince: new Date(now.getTime() - cap.windowHours * HOUR),
          capTypes: cap.types,
          stateCapSince: stateCap ? new Date(now.getTime() - stateCap.windowHours * HOUR) : null,
        })
      : EMPTY_HISTORY;
    return {
      now,
      workspace: { id: workspace.id, optInMode: workspace.optInMode, timeZone: workspace.timeZone, policy: workspace.policy },
      message,
      phone,
      contactId: contact?.id ?? null,
      suppressed,
      consent: { ...NO_CONSENT, ...(contact ? states.get(contact.id) : undefined) },
      region,
      zone: resolveZones(contact?.timeZone, geo?.timeZones ?? [], workspace.timeZone),
      history,
    };
  }
}
