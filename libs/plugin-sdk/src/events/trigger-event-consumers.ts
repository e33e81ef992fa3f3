import { Injectable } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import type { BatchOutcome } from '@optline/core';
import type { TriggerEvent } from './trigger-event.entity';

/**
 * Something that acts on every stored event, inside the 'event.dispatch' job, after the contact
 * was upserted and the event's consent applied (flows: enrol and exit runs).
 */
export interface TriggerEventConsumer {
  /** Stable name; the consumer's answer is stored under `outcome.consumers[name]`. */
  name: string;
  /**
   * Acts on the event and says what it did (e.g. `{ started: [runId], ended: [runId] }`). Throwing
   * retries the job with backoff; consumers that already answered are not called again for it,
   * so make a consumer idempotent on the event id and it is safe.
   */
  consume(event: TriggerEvent, contact: Contact | null): Promise<Record<string, unknown>>;
  /**
   * Optional batch form of `consume`, used when the dispatch handles many events at once:
   * answers one outcome per item, in order (an item's error retries that event's job alone).
   * The dispatch guarantees the items of one call are independent — one workspace, and no two
   * about the same contact or sharing a correlation value — so a consumer may act on them as one
   * set; events that are not independent come in later calls, in their order. If the call itself
   * throws, the dispatch falls back to `consume` per event.
   */
  consumeMany?(items: ConsumedEvent[]): Promise<BatchOutcome<Record<string, unknown>>[]>;
}

/** One event handed to `consumeMany`, with the contact the dispatch resolved for it. */
export interface ConsumedEvent {
  event: TriggerEvent;
  contact: Contact | null;
}

/** The registered consumers, called in registration order. Register from a provider's onModuleInit. */
@Injectable()
export class TriggerEventConsumers {
  private readonly consumers: TriggerEventConsumer[] = [];

  register(consumer: TriggerEventConsumer): void {
    if (this.consumers.some((c) => c.name === consumer.name)) throw new Error(`a trigger-event consumer named "${consumer.name}" is already registered`);
    this.consumers.push(consumer);
  }

  list(): readonly TriggerEventConsumer[] {
    return this.consumers;
  }
}
