import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { BatchOutcome } from '@optline/core';
import { ConsumedEvent, TriggerEvent, TriggerEventConsumer, TriggerEventConsumers } from '@optline/plugin-sdk';
import { EnrolmentResult, FlowEnrolmentService } from './flow-enrolment.service';
import { FlowExitService } from './flow-exit.service';

/**
 * Flows' part of every stored event (inside 'event.dispatch'): first end the runs the event is
 * an exit condition of, then start runs in the flows it triggers — so a rescheduled
 * appointment ends the old reminders before the new ones start.
 */
@Injectable()
export class FlowTriggerConsumer implements TriggerEventConsumer, OnModuleInit {
  readonly name = 'flows';

  constructor(
    private readonly consumers: TriggerEventConsumers,
    private readonly exits: FlowExitService,
    private readonly enrolments: FlowEnrolmentService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(this);
  }

  async consume(event: TriggerEvent, contact: Contact | null): Promise<Record<string, unknown>> {
    const [answer] = await this.consumeMany([{ event, contact }]);
    if (!answer.ok) throw answer.error;
    return answer.value;
  }

  /**
   * A batch of independent events (see TriggerEventConsumer.consumeMany): the exits of all of
   * them in one lookup and one transaction, then their enrolments in one — a few statements for
   * the batch instead of a dozen per event.
   */
  async consumeMany(items: ConsumedEvent[]): Promise<BatchOutcome<Record<string, unknown>>[]> {
    const results: BatchOutcome<Record<string, unknown>>[] = new Array(items.length);
    const byWorkspace = new Map<string, number[]>();
    items.forEach(({ event }, i) => byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), i]));
    for (const [workspaceId, indexes] of byWorkspace) {
      const batch = indexes.map((i) => items[i]);
      const ended = await this.exits.exitForEvents(
        workspaceId,
        batch.map(({ event, contact }) => ({ id: event.id, type: event.type, correlation: event.correlation ?? {}, contactId: contact?.id ?? null })),
      );
      const enrolable = batch.flatMap(({ event, contact }, j) => (contact && !contact.erasedAt ? [{ j, event, contact }] : []));
      const enrolled = await this.enrolments.enrolFromEvents(
        workspaceId,
        enrolable.map(({ event, contact }) => ({
          source: { triggerEventId: event.id, type: event.type, data: event.payload ?? {}, correlation: event.correlation ?? {}, trace: event.traceContext },
          contact,
        })),
      );
      const enrolledOf = new Map(enrolable.map(({ j }, k) => [j, enrolled[k]]));
      batch.forEach((_, j) => {
        const enrolment = enrolledOf.get(j);
        if (enrolment && !enrolment.ok) return void (results[indexes[j]] = enrolment);
        results[indexes[j]] = { ok: true, value: answer(ended[j], enrolment?.value) };
      });
    }
    return results;
  }
}

/** What the event did to flows, as stored in its outcome (empty when nothing). */
function answer(ended: string[], enrolment: EnrolmentResult | undefined): Record<string, unknown> {
  if (!enrolment) return ended.length > 0 ? { ended } : {};
  const { started, skipped } = enrolment;
  if (ended.length === 0 && started.length === 0 && skipped.length === 0) return {};
  return { ended, started: started.map((s) => s.runId), ...(skipped.length > 0 && { skipped }) };
}
