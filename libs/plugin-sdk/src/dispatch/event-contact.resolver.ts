import { Injectable } from '@nestjs/common';
import { Contact, ContactService, UpsertContactInput } from '@optline/contacts';
import { BatchOutcome, DomainError, maskPhone, settleEach } from '@optline/core';
import type { CanonicalContactHint } from '../contract/canonical-events';
import type { TriggerEventOutcome } from '../events/trigger-event.entity';
import type { DispatchKeys } from './dispatch-rounds';

export interface ResolvedContact {
  contact: Contact | null;
  outcome: NonNullable<TriggerEventOutcome['contact']>;
}

/** Keeps only the hint fields that carry a value: an absent or null field never overwrites. */
function upsertInput(phone: string, hint: CanonicalContactHint): UpsertContactInput {
  const input: UpsertContactInput = { phone };
  if (hint.email) input.email = hint.email;
  if (hint.firstName) input.firstName = hint.firstName;
  if (hint.lastName) input.lastName = hint.lastName;
  if (hint.timeZone) input.timeZone = hint.timeZone;
  if (hint.attributes && Object.keys(hint.attributes).length > 0) input.attributes = hint.attributes;
  if (hint.externalId) input.externalIds = { [hint.externalId.source]: hint.externalId.id };
  return input;
}

/** A phone or time zone the contacts library refuses (422): the event is kept and starts nothing. */
function isUnusable(error: unknown): error is DomainError {
  return error instanceof DomainError && error.kind === 'unprocessable';
}

/**
 * The dispatch's contact step for a batch of events: the person each event is about, upserted
 * from the event's hint by phone (one statement for the batch), or found by external id.
 */
@Injectable()
export class EventContactResolver {
  constructor(private readonly contacts: ContactService) {}

  /**
   * Who each hint is about as far as it can be told before touching a row (the dispatch's
   * ordering keys): its phone in E.164, nothing when it names no one, or 'alone' when only an
   * external id can tell (its phone is then known only after the lookup).
   */
  async identityKeys(workspaceId: string, hints: (CanonicalContactHint | null)[]): Promise<DispatchKeys[]> {
    const withPhone = hints.flatMap((hint, i) => (hint?.phone ? [{ i, phone: hint.phone }] : []));
    const normalized = await this.contacts.normalizeMany(workspaceId, withPhone.map((p) => p.phone));
    const phones = new Map(withPhone.map(({ i }, k) => [i, normalized[k]]));
    return hints.map((hint, i) => {
      const phone = phones.get(i);
      return phone ? [`phone:${phone}`] : hint?.externalId ? 'alone' : [];
    });
  }

  /** The contacts of events resolved on an earlier attempt (null when since erased or deleted). */
  async known(workspaceId: string, contactIds: string[]): Promise<Map<string, Contact>> {
    return new Map((await this.contacts.getMany(workspaceId, contactIds)).map((c) => [c.id, c]));
  }

  /** Resolves each hint; an unusable phone is an outcome, not an error; other errors stay the item's own. */
  async resolveMany(workspaceId: string, hints: (CanonicalContactHint | null)[]): Promise<BatchOutcome<ResolvedContact>[]> {
    const results: BatchOutcome<ResolvedContact>[] = new Array(hints.length);
    const byPhone = hints.flatMap((hint, index) => (hint?.phone ? [{ index, hint }] : []));
    let upserted: Awaited<ReturnType<ContactService['upsertEachByPhone']>>;
    try {
      upserted = await this.contacts.upsertEachByPhone(workspaceId, byPhone.map(({ hint }) => upsertInput(hint.phone!, hint)));
    } catch {
      // The statement failed for the batch: each hint on its own, so one bad row fails one event.
      return settleEach(hints, (hint) => this.resolveOne(workspaceId, hint));
    }
    const phoneProblems = new Map<number, string>();
    byPhone.forEach(({ index, hint }, i) => {
      const result = upserted[i];
      if ('contact' in result) results[index] = { ok: true, value: { contact: result.contact, outcome: { id: result.contact.id, created: result.created } } };
      else if (isUnusable(result.error)) phoneProblems.set(index, `"${maskPhone(hint.phone!)}" is not a usable phone number`);
      else results[index] = { ok: false, error: result.error };
    });
    const rest = hints.map((hint, index) => ({ hint, index })).filter(({ index }) => results[index] === undefined);
    const fallbacks = await settleEach(rest, ({ hint, index }) => this.byExternalId(workspaceId, hint, phoneProblems.get(index)));
    rest.forEach(({ index }, i) => (results[index] = fallbacks[i]));
    return results;
  }

  private async resolveOne(workspaceId: string, hint: CanonicalContactHint | null): Promise<ResolvedContact> {
    let phoneProblem: string | undefined;
    if (hint?.phone) {
      try {
        const { contact, created } = await this.contacts.upsertByPhone(workspaceId, upsertInput(hint.phone, hint));
        return { contact, outcome: { id: contact.id, created } };
      } catch (error) {
        // A vendor sample's "555-555-SHIP" is not a number: the event is kept, it starts nothing.
        if (!isUnusable(error)) throw error;
        phoneProblem = `"${maskPhone(hint.phone)}" is not a usable phone number`;
      }
    }
    return this.byExternalId(workspaceId, hint, phoneProblem);
  }

  /** No usable phone: the contact the event's external id already belongs to, if any. */
  private async byExternalId(workspaceId: string, hint: CanonicalContactHint | null, phoneProblem: string | undefined): Promise<ResolvedContact> {
    if (!hint) return { contact: null, outcome: { skipped: 'no_contact_hint' } };
    if (hint.externalId) {
      const known = await this.contacts.findByExternalId(workspaceId, hint.externalId.source, hint.externalId.id);
      if (known?.phone) {
        const { contact } = await this.contacts.upsertByPhone(workspaceId, upsertInput(known.phone, hint));
        return { contact, outcome: { id: contact.id, created: false } };
      }
      if (known) return { contact: known, outcome: { id: known.id, created: false } };
    }
    return { contact: null, outcome: { skipped: 'no_usable_phone', detail: phoneProblem ?? 'the event carries no phone number' } };
  }
}
