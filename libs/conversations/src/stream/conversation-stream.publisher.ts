import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@optline/core';
import Redis from 'ioredis';
import { ConversationStreamEvent } from './conversation-stream.types';

/** One Redis channel per hub deployment (the queue prefix keeps test hubs apart). */
export function streamChannel(config: AppConfig): string {
  return `${config.QUEUE_PREFIX}:conversations:stream`;
}

/**
 * Publishes inbox events on Redis, so every API process — not just the one that handled the
 * inbound text or ran the send — can push them to its connected clients (docs/decisions/0135).
 * Losing an event loses only a live update: the REST API stays the truth.
 */
@Injectable()
export class ConversationStreamPublisher implements OnModuleDestroy {
  private readonly logger = new Logger(ConversationStreamPublisher.name);
  private redis: Redis | null = null;

  constructor(private readonly config: AppConfig) {}

  async publish(event: ConversationStreamEvent): Promise<void> {
    try {
      this.redis ??= new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: false });
      await this.redis.publish(streamChannel(this.config), JSON.stringify(event));
    } catch (error) {
      this.logger.warn({ err: error, type: event.type }, 'inbox stream event not published');
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
    this.redis = null;
  }
}
