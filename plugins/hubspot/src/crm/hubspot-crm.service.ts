import { Injectable } from '@nestjs/common';
import { HubspotUnavailableError, statusOf, withBackoff } from './hubspot-backoff';
import { HubspotClientFactory } from './hubspot-client.factory';

/** A CRM record as the API returns it: string properties, null when empty. */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
}

export interface CrmPropertyDefinition {
  name: string;
  type: string;
  fieldType: string;
  /** Allowed values of an enumeration or checkbox property; empty for free text. */
  options: string[];
}

/** HubSpot's batch endpoints take at most 100 inputs. */
const BATCH_SIZE = 100;

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * The HubSpot CRM calls the plugin makes, each retried on 429/5xx within a deadline. One record
 * is read with the single-object endpoint, several with the batch endpoint, so a delivery of
 * 100 events costs one or two calls rather than 100 (HubSpot allows about 100 per 10 s).
 */
@Injectable()
export class HubspotCrmService {
  constructor(private readonly clients: HubspotClientFactory) {}

  /** The deadline for work done while HubSpot waits for our answer, or for a background job. */
  deadline(kind: 'webhook' | 'job'): number {
    const options = this.clients.options;
    return Date.now() + (kind === 'webhook' ? options.webhookBudgetMs : options.jobBudgetMs);
  }

  /** Contacts by id with the given properties; ids HubSpot no longer has are absent from the map. */
  async readContacts(accessToken: string, ids: string[], properties: string[], deadline: number): Promise<Map<string, CrmRecord>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, CrmRecord>();
    if (unique.length === 0) return found;
    const client = this.clients.create(accessToken);
    if (unique.length === 1) {
      try {
        const contact = await this.call(() => client.crm.contacts.basicApi.getById(unique[0], properties), deadline);
        found.set(contact.id, { id: contact.id, properties: contact.properties });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      return found;
    }
    for (const batch of chunks(unique, BATCH_SIZE)) {
      const answer = await this.call(() => client.crm.contacts.batchApi.read({ inputs: batch.map((id) => ({ id })), properties, propertiesWithHistory: [] }), deadline);
      for (const contact of answer.results) found.set(contact.id, { id: contact.id, properties: contact.properties });
    }
    return found;
  }

  /**
   * The contact ids associated with each record of `fromType` (e.g. a deal's contacts), all pages.
   * Records without associations map to an empty list.
   */
  async associatedContactIds(accessToken: string, fromType: 'deals' | 'meetings', ids: string[], deadline: number): Promise<Map<string, string[]>> {
    const unique = [...new Set(ids)];
    const result = new Map<string, string[]>(unique.map((id) => [id, []]));
    if (unique.length === 0) return result;
    const client = this.clients.create(accessToken);
    if (unique.length === 1) {
      const id = unique[0];
      let after: string | undefined;
      do {
        const page = await this.call(() => client.crm.associations.v4.basicApi.getPage(fromType, id, 'contacts', after, 500), deadline);
        result.get(id)!.push(...page.results.map((r) => String(r.toObjectId)));
        after = page.paging?.next?.after;
      } while (after);
      return result;
    }
    let pending = unique.map((id) => ({ id, after: undefined as string | undefined }));
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (const batch of chunks(pending, BATCH_SIZE)) {
        const answer = await this.call(() => client.crm.associations.v4.batchApi.getPage(fromType, 'contacts', { inputs: batch }), deadline);
        for (const row of answer.results) {
          const from = String(row._from.id);
          result.get(from)?.push(...row.to.map((to) => String(to.toObjectId)));
          if (row.paging?.next?.after) next.push({ id: from, after: row.paging.next.after });
        }
      }
      pending = next;
    }
    return result;
  }

  /** PATCH /crm/v3/objects/contacts/{id} with these properties. */
  async updateContact(accessToken: string, id: string, properties: Record<string, string>, deadline: number): Promise<void> {
    const client = this.clients.create(accessToken);
    await this.call(() => client.crm.contacts.basicApi.update(id, { properties }), deadline);
  }

  /** A contact property's definition (type and allowed values), or null when the portal has no such property. */
  async contactProperty(accessToken: string, name: string, deadline: number): Promise<CrmPropertyDefinition | null> {
    const client = this.clients.create(accessToken);
    try {
      const property = await this.call(() => client.crm.properties.coreApi.getByName('contacts', name), deadline);
      return { name: property.name, type: property.type, fieldType: property.fieldType, options: (property.options ?? []).map((o) => o.value) };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** One cheap read (a page of one contact) that proves the token works and may read contacts. */
  async checkContactsAccess(accessToken: string, deadline: number): Promise<void> {
    const client = this.clients.create(accessToken);
    await this.call(() => client.crm.contacts.basicApi.getPage(1), deadline);
  }

  private call<T>(fn: () => Promise<T>, deadline: number): Promise<T> {
    const { maxAttempts, baseDelayMs } = this.clients.options;
    return withBackoff(fn, { maxAttempts, baseDelayMs, deadline });
  }
}

export { HubspotUnavailableError };
