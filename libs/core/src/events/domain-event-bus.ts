import { Injectable, Logger } from '@nestjs/common';
import { DomainEventHandler, DomainEventMap, DomainEventName } from './domain-events';

@Injectable()
export class DomainEventBus {
  private readonly logger = new Logger(DomainEventBus.name);
  private readonly handlers = new Map<DomainEventName, DomainEventHandler<never>[]>();

  /** Call from a provider's constructor or onModuleInit. */
  subscribe<N extends DomainEventName>(name: N, handler: DomainEventHandler<N>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as DomainEventHandler<never>);
    this.handlers.set(name, list);
  }

  /**
   * Runs every handler and waits for them. A failing handler is logged and does not stop the
   * others or the publisher: the publisher's own work is already committed.
   */
  async publish<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await (handler as DomainEventHandler<N>)(payload);
      } catch (error) {
        this.logger.error({ err: error, event: name }, 'domain event handler failed');
      }
    }
  }
}
