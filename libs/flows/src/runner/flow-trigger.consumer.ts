import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { TriggerEvent, TriggerEventConsumer, TriggerEventConsumers } from '@optline/plugin-sdk';
import { FlowEnrolmentService } from './flow-enrolment.service';
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
    const ended = await this.exits.exitForEvent(event.workspaceId, { id: event.id, type: event.type, correlation: event.correlation ?? {}, contactId: contact?.id ?? null });
    if (!contact || contact.erasedAt) return ended.length > 0 ? { ended } : {};
    const { started, skipped } = await this.enrolments.enrolFromEvent(
      event.workspaceId,
      { triggerEventId: event.id, type: event.type, data: event.payload ?? {}, correlation: event.correlation ?? {} },
      contact,
    );
    if (ended.length === 0 && started.length === 0 && skipped.length === 0) return {};
    return { ended, started: started.map((s) => s.runId), ...(skipped.length > 0 && { skipped }) };
  }
}
