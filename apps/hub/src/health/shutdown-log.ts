import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

/** Says when and why the hub stops, and when it has finished stopping (queues drained, pool closed). */
@Injectable()
export class ShutdownLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Hub');
  private startedAt = 0;

  beforeApplicationShutdown(signal?: string): void {
    this.startedAt = Date.now();
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}: no new requests, running jobs finish`);
  }

  onApplicationShutdown(): void {
    this.logger.log(`stopped after ${Date.now() - this.startedAt} ms`);
  }
}
