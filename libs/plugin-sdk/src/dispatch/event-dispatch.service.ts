import { Injectable, Logger } from '@nestjs/common';
import { Contact, ContactService, UpsertContactInput } from '@optline/contacts';
import { ConsentService } from '@optline/consent';
import { Clock, DomainError, maskPhone } from '@optline/core';
import type { CanonicalContactHint } from '../contract/canonical-events';
import { TriggerEvent, TriggerEventOutcome, TriggerEventStatus } from '../events/trigger-event.entity';
import { TriggerEventConsumers } from '../events/trigger-event-consumers';
import { TriggerEventRepository } from '../events/trigger-event.repository';

/** Thrown so Bull retries the job; the consumers that failed are named in the outcome. */
export class ConsumerFailedError extends Error {
  override name = 'ConsumerFailedError';
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

/**
 * The work of one 'event.dispatch' job: upsert the contact the event is about, apply the
 * event's consent statement, then hand the event to each registered consumer (flows) and keep
 * what they did. Each step's result is stored in the event's outcome, so a retry does not redo
 * a step that already took effect (a consent entry is never appended twice).
 */
@Injectable()
export class EventDispatchService {
  private readonly logger = new Logger(EventDispatchService.name);

  constructor(
    private readonly events: TriggerEventRepository,
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
    private readonly consumers: TriggerEventConsumers,
    private readonly clock: Clock,
  ) {}

  /**
   * @param finalAttempt when true a failing consumer marks the event 'failed' instead of throwing for a retry.
   * @returns the event's status afterwards, or null when the event no longer exists.
   */
  async dispatch(workspaceId: string, triggerEventId: string, finalAttempt: boolean): Promise<TriggerEventStatus | null> {
    const event = await this.events.findById(workspaceId, triggerEventId);
    if (!event) return null;
    // A job delivered twice (a stalled worker) finds the event already handled.
    if (event.status !== 'received') return event.status;

    const outcome: TriggerEventOutcome = { ...event.outcome };
    let contact: Contact | null;
    if (!outcome.contact) {
      const resolved = await this.resolveContact(workspaceId, event.contactHint);
      outcome.contact = resolved.outcome;
      contact = resolved.contact;
      if (event.consentHint) outcome.consent = contact ? await this.applyConsent(workspaceId, contact, event) : { skipped: 'no_contact' };
      event.contactId = contact?.id ?? null;
      if (this.consumers.list().length > 0) await this.events.saveOutcome(workspaceId, event.id, outcome, event.contactId);
    } else {
      contact = event.contactId ? await this.contactOrNull(workspaceId, event.contactId) : null;
    }

    const consumed = { ...(outcome.consumers ?? {}) };
    const errors: Record<string, string> = {};
    for (const consumer of this.consumers.list()) {
      if (consumer.name in consumed) continue;
      try {
        consumed[consumer.name] = await consumer.consume(event, contact);
      } catch (error) {
        errors[consumer.name] = error instanceof Error ? error.message : String(error);
        this.logger.warn({ err: error, consumer: consumer.name, triggerEventId }, 'trigger-event consumer failed');
      }
    }
    outcome.consumers = consumed;
    outcome.errors = Object.keys(errors).length > 0 ? errors : undefined;
    if (outcome.errors && !finalAttempt) {
      await this.events.saveOutcome(workspaceId, event.id, outcome, event.contactId);
      throw new ConsumerFailedError(`consumers failed: ${Object.keys(errors).join(', ')}`);
    }
    const status: TriggerEventStatus = outcome.errors
      ? 'failed'
      : !contact && Object.values(consumed).every((o) => Object.keys(o).length === 0)
        ? 'ignored'
        : 'processed';
    await this.events.update(workspaceId, event.id, { status, outcome, contactId: event.contactId, processedAt: this.clock.now() });
    return status;
  }

  /** Marks an event whose job gave up for a reason outside the consumers (e.g. the database was down). */
  async markFailed(workspaceId: string, triggerEventId: string, reason: string): Promise<void> {
    const event = await this.events.findById(workspaceId, triggerEventId);
    if (!event || event.status !== 'received') return;
    await this.events.update(workspaceId, triggerEventId, {
      status: 'failed',
      outcome: { ...event.outcome, errors: { ...event.outcome.errors, dispatch: reason } },
      processedAt: this.clock.now(),
    });
  }

  private async resolveContact(
    workspaceId: string,
    hint: CanonicalContactHint | null,
  ): Promise<{ contact: Contact | null; outcome: NonNullable<TriggerEventOutcome['contact']> }> {
    if (!hint) return { contact: null, outcome: { skipped: 'no_contact_hint' } };
    let phoneProblem: string | undefined;
    if (hint.phone) {
      try {
        const { contact, created } = await this.contacts.upsertByPhone(workspaceId, upsertInput(hint.phone, hint));
        return { contact, outcome: { id: contact.id, created } };
      } catch (error) {
        // A vendor sample's "555-555-SHIP" is not a number: the event is kept, it starts nothing.
        if (!(error instanceof DomainError) || error.kind !== 'unprocessable') throw error;
        phoneProblem = `"${maskPhone(hint.phone)}" is not a usable phone number`;
      }
    }
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

  /**
   * Appends the event's consent statement. A 'pending' request never downgrades a type the
   * person already opted in to (a second form submission must not re-ask for YES).
   */
  private async applyConsent(workspaceId: string, contact: Contact, event: TriggerEvent): Promise<NonNullable<TriggerEventOutcome['consent']>> {
    const hint = event.consentHint!;
    let types = [...hint.types];
    let unchanged: string[] = [];
    if (hint.state === 'pending') {
      const current = (await this.consent.statesFor(workspaceId, [contact.id])).get(contact.id);
      unchanged = types.filter((type) => current?.[type] === 'opted_in');
      types = types.filter((type) => !unchanged.includes(type));
    }
    if (types.length > 0) {
      await this.consent.record(workspaceId, {
        contactId: contact.id,
        types,
        state: hint.state,
        source: hint.source,
        evidence: { ...hint.evidence, triggerEventId: event.id },
        disclosureId: hint.disclosureId ?? null,
        occurredAt: event.occurredAt,
      });
    }
    return { recorded: types, state: hint.state, ...(unchanged.length > 0 && { unchanged }) };
  }

  private async contactOrNull(workspaceId: string, contactId: string): Promise<Contact | null> {
    try {
      return await this.contacts.get(workspaceId, contactId);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') return null;
      throw error;
    }
  }
}
