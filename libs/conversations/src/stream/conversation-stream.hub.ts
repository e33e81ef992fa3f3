import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@optline/core';
import Redis from 'ioredis';
import { Observable, Subject } from 'rxjs';
import { streamChannel } from './conversation-stream.publisher';
import { ConversationStreamEvent } from './conversation-stream.types';

/**
 * This API process's end of the Redis channel: one subscriber connection, opened when the first
 * client connects, fanned out in memory to every open stream.
 */
@Injectable()
export class ConversationStreamHub implements OnModuleDestroy {
  private readonly logger = new Logger(ConversationStreamHub.name);
  private readonly events = new Subject<ConversationStreamEvent>();
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;

  constructor(private readonly config: AppConfig) {}

  /** Resolves once this process listens on the channel, so no event published afterwards is missed. */
  async connect(): Promise<Observable<ConversationStreamEvent>> {
    this.ready ??= this.open();
    await this.ready;
    return this.events.asObservable();
  }

  private async open(): Promise<void> {
    const subscriber = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, raw: string) => {
      try {
        this.events.next(JSON.parse(raw) as ConversationStreamEvent);
      } catch (error) {
        this.logger.warn({ err: error }, 'unreadable inbox stream event ignored');
      }
    });
    await subscriber.subscribe(streamChannel(this.config));
  }

  async onModuleDestroy(): Promise<void> {
    this.events.complete();
    await this.subscriber?.quit().catch(() => undefined);
    this.subscriber = null;
  }
}
