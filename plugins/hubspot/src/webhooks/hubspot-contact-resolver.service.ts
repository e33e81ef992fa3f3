import { Injectable } from '@nestjs/common';
import { PluginHost } from '@optline/plugin-sdk';
import type { CanonicalContactHint } from '@optline/plugin-sdk';
import { HubspotCrmService } from '../crm/hubspot-crm.service';
import { associationKey, AssociatedObjectType, ContactHints, EventPlan, HUBSPOT_SOURCE, PERSON_PROPERTIES } from './hubspot-event-plan';

/** Who the contacts of a delivery are, and which contacts each deal (or meeting) has. */
export interface ResolvedContacts {
  hints: ContactHints;
  associated: Map<string, string[]>;
}

const present = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * Reads what webhooks leave out. HubSpot webhooks carry ids only, so the phone, names and email
 * come from the CRM API: all deals' contacts in one call, all contacts in one more.
 */
@Injectable()
export class HubspotContactResolver {
  constructor(
    private readonly crm: HubspotCrmService,
    private readonly host: PluginHost,
  ) {}

  async resolve(workspaceId: string, accessToken: string, phoneProperties: string[], plans: EventPlan[], deadline: number): Promise<ResolvedContacts> {
    const associated = new Map<string, string[]>();
    const byType = new Map<AssociatedObjectType, string[]>();
    for (const plan of plans) if (plan.kind === 'associated') byType.set(plan.objectType, [...(byType.get(plan.objectType) ?? []), plan.objectId]);
    for (const [objectType, ids] of byType) {
      const lists = await this.crm.associatedContactIds(accessToken, objectType, ids, deadline);
      for (const [id, contactIds] of lists) associated.set(associationKey(objectType, id), contactIds);
    }

    const hints: ContactHints = new Map();
    const toRead = new Set<string>();
    for (const plan of plans) {
      if (plan.kind !== 'contact') continue;
      // A workflow body that already holds a phone spares a call.
      if (plan.known && phoneProperties.some((p) => present(plan.known![p]))) {
        hints.set(plan.contactId, await this.hint(workspaceId, plan.contactId, plan.known, phoneProperties));
      } else toRead.add(plan.contactId);
    }
    for (const ids of associated.values()) for (const id of ids) if (!hints.has(id)) toRead.add(id);

    const records = await this.crm.readContacts(accessToken, [...toRead], [...phoneProperties, ...PERSON_PROPERTIES], deadline);
    const resolved = await Promise.all([...records].map(async ([id, record]) => [id, await this.hint(workspaceId, id, record.properties, phoneProperties)] as const));
    for (const [id, hint] of resolved) hints.set(id, hint);
    return { hints, associated };
  }

  /**
   * The contact hint from CRM properties. The phone is the first property in the configured order
   * that holds a usable number (a `mobilephone` of "n/a" falls through to `phone`); when none is
   * usable the first non-empty value is passed on, so the event records why it started nothing.
   */
  private async hint(workspaceId: string, contactId: string, properties: Record<string, string | null>, phoneProperties: string[]): Promise<CanonicalContactHint> {
    const candidates = phoneProperties.map((p) => properties[p]).filter(present);
    let phone: string | null = null;
    for (const raw of candidates) {
      phone = await this.host.normalizePhone(workspaceId, raw);
      if (phone) break;
    }
    return {
      phone: phone ?? candidates[0] ?? null,
      email: present(properties.email) ? properties.email.trim() : null,
      firstName: present(properties.firstname) ? properties.firstname.trim() : null,
      lastName: present(properties.lastname) ? properties.lastname.trim() : null,
      externalId: { source: HUBSPOT_SOURCE, id: contactId },
      ...(customerSince(properties.createdate) && { attributes: { customerSince: customerSince(properties.createdate) } }),
    };
  }
}

/** HubSpot's `createdate` ("2019-10-30T03:30:17.883Z") as the calendar day the contact became one. */
function customerSince(createdate: string | null | undefined): string | null {
  if (!present(createdate)) return null;
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(createdate.trim());
  return day ? day[1] : null;
}
