import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, Clock } from '@optline/core';
import Redis from 'ioredis';
import type { RateLimitVerdict } from '../contract/plugin-host';

/**
 * Fixed-window counters in Redis, shared by every hub process, so N api processes enforce one
 * limit. Windows follow the hub's clock (tests move it); keys expire on their own. When Redis
 * cannot answer, requests are let through: a limiter must not turn an outage into lost webhooks.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: Redis;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.redis = new Redis(config.REDIS_URL, { keyPrefix: `${config.QUEUE_PREFIX}:rate:`, maxRetriesPerRequest: 1, lazyConnect: true });
  }

  /** Counts one hit on `bucket`; allowed while the window's count is at most `limit`. */
  async hit(bucket: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict> {
    const windowMs = windowSeconds * 1000;
    const now = this.clock.nowMs();
    const window = Math.floor(now / windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    const key = `${bucket}:${window}`;
    try {
      const results = await this.redis.multi().incr(key).pexpire(key, windowMs * 2).exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      return { allowed: count <= limit, retryAfterSeconds };
    } catch (error) {
      this.logger.warn({ err: error, bucket }, 'rate limiter unavailable; allowing the request');
      return { allowed: true, retryAfterSeconds };
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
