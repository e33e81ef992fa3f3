import { noConsent, type ConsentService, type ConsentStates } from '@optline/consent';
import type { Contact, ContactService } from '@optline/contacts';
import { BatchCoalescer, BatchOutcome } from '@optline/core';

/** Senders of one workspace looked up together at most (a burst of STOPs in one webhook wave). */
const MAX_SENDERS_PER_LOOKUP = 200;

/** Who sent a text (upserted as a contact) and their consent as it stands. */
export interface TextSender {
  contact: Contact;
  states: ConsentStates;
}

/**
 * The senders of a burst of STOPs, looked up together: one contact upsert and one consent read
 * for every STOP that arrived while the previous lookup ran, instead of two round trips each.
 * A burst of 200 STOPs queued those 400 statements for an api process's ten pooled connections,
 * ahead of the batch commits they were waiting to join (docs/chaos.md). A phone that cannot be a
 * contact fails its own STOP (422), not the burst's.
 */
export class StopSenders {
  private readonly perWorkspace = new Map<string, BatchCoalescer<string, TextSender>>();

  constructor(
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
  ) {}

  lookup(workspaceId: string, phone: string): Promise<TextSender> {
    let lookups = this.perWorkspace.get(workspaceId);
    if (!lookups) {
      // Two in flight: a burst arriving during one lookup starts its own instead of waiting.
      lookups = new BatchCoalescer<string, TextSender>((phones) => this.lookupMany(workspaceId, phones), { maxBatch: MAX_SENDERS_PER_LOOKUP, maxWaitMs: 0, maxConcurrent: 2 });
      this.perWorkspace.set(workspaceId, lookups);
    }
    return lookups.submit(phone);
  }

  private async lookupMany(workspaceId: string, phones: string[]): Promise<BatchOutcome<TextSender>[]> {
    const upserted = await this.contacts.upsertEachByPhone(
      workspaceId,
      phones.map((phone) => ({ phone })),
    );
    const states = await this.consent.statesFor(
      workspaceId,
      upserted.flatMap((r) => ('contact' in r ? [r.contact.id] : [])),
    );
    return upserted.map((r) => ('contact' in r ? { ok: true, value: { contact: r.contact, states: states.get(r.contact.id) ?? noConsent() } } : { ok: false, error: r.error }));
  }
}
