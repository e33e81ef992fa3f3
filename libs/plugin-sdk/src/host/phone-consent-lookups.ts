import { ContactService } from '@optline/contacts';
import { ConsentMessageType, ConsentService, ConsentState } from '@optline/consent';
import { BatchCoalescer, BatchOutcome } from '@optline/core';

type States = Record<ConsentMessageType, ConsentState>;

interface Lookup {
  workspaceId: string;
  phone: string;
}

/**
 * "What is this phone's consent now?" for concurrent webhooks. Shopify repeats a customer's
 * consent on every checkout update, and the plugin asks before each event whether the statement
 * would change anything; asked one webhook at a time that was two queries per request, most of
 * the ingest path's queries. Questions asked in the same turn of the event loop share one
 * contact query and one consent query per workspace (docs/decisions/0071). Nothing is cached:
 * each answer is read after its question was asked.
 */
export class PhoneConsentLookups {
  private readonly lookups = new BatchCoalescer<Lookup, States | null>((items) => this.lookUp(items), { maxBatch: 500, maxWaitMs: 0 });

  constructor(
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
  ) {}

  /** The states of the phone's contact (a copy of its own), or null when the phone is not a number or not a contact. */
  find(workspaceId: string, phone: string): Promise<States | null> {
    return this.lookups.submit({ workspaceId, phone });
  }

  private async lookUp(items: Lookup[]): Promise<BatchOutcome<States | null>[]> {
    const byWorkspace = new Map<string, number[]>();
    items.forEach((item, i) => {
      const indexes = byWorkspace.get(item.workspaceId);
      if (indexes) indexes.push(i);
      else byWorkspace.set(item.workspaceId, [i]);
    });
    const outcomes: BatchOutcome<States | null>[] = new Array(items.length);
    // Every query stays scoped to one workspace (law 6); one workspace's failure is only its callers'.
    await Promise.all(
      [...byWorkspace].map(async ([workspaceId, indexes]) => {
        try {
          const contacts = await this.contacts.findByPhones(workspaceId, indexes.map((i) => items[i].phone));
          const ids = contacts.filter((c) => c !== null).map((c) => c.id);
          const states = ids.length > 0 ? await this.consent.statesFor(workspaceId, ids) : new Map<string, States>();
          indexes.forEach((index, k) => {
            const found = contacts[k] && states.get(contacts[k].id);
            outcomes[index] = { ok: true, value: found ? { ...found } : null };
          });
        } catch (error) {
          for (const index of indexes) outcomes[index] = { ok: false, error };
        }
      }),
    );
    return outcomes;
  }
}
