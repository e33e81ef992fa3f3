import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import type { BatchOutcome } from '@optline/core';
import { ConsumedEvent, TriggerEvent, TriggerEventConsumer, TriggerEventConsumers } from '@optline/plugin-sdk';
import { FactWriter } from './fact-writer.service';

/**
 * Orders (and other conversion events) are attributed inside the event dispatch job, so a
 * failure retries with the job and a replayed event finds its fact already stored (keyed by
 * the event id).
 */
@Injectable()
export class ConversionConsumer implements TriggerEventConsumer, OnModuleInit {
  readonly name = 'reporting';

  constructor(
    private readonly consumers: TriggerEventConsumers,
    private readonly facts: FactWriter,
  ) {}

  onModuleInit(): void {
    this.consumers.register(this);
  }

  async consume(event: TriggerEvent, contact: Contact | null): Promise<Record<string, unknown>> {
    const [outcome] = await this.consumeMany([{ event, contact }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async consumeMany(items: ConsumedEvent[]): Promise<BatchOutcome<Record<string, unknown>>[]> {
    const candidates = items.filter((i) => i.contact).map((i) => ({ workspaceId: i.event.workspaceId, eventId: i.event.id, contactId: i.contact!.id }));
    await this.facts.conversions(candidates);
    return items.map(() => ({ ok: true as const, value: {} }));
  }
}
