import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, BatchCoalescer, BatchOutcome, Clock, RedisOutageLog, redisTarget } from '@optline/core';
import Redis from 'ioredis';
import type { RateLimitVerdict } from '../contract/plugin-host';

/**
 * Fixed-window counters in Redis, shared by every hub process, so N api processes enforce one
 * limit. Windows follow the hub's clock (tests move it); keys expire on their own. When Redis
 * cannot answer, requests are let through: a limiter must not turn an outage into lost webhooks.
 *
 * Hits made in the same turn of the event loop share one MULTI (an INCRBY per key): the i-th of n
 * hits on a key gets the count it would have got alone (`total - n + i`), so the verdicts are
 * the same as n separate INCRs, for one Redis round trip instead of n.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: Redis;
  private readonly counts = new BatchCoalescer<string, number>((keys) => this.incrementAll(keys), { maxBatch: 500, maxWaitMs: 0 });

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.redis = new Redis(config.REDIS_URL, { keyPrefix: `${config.QUEUE_PREFIX}:rate:`, maxRetriesPerRequest: 1, lazyConnect: true });
    // Without a listener ioredis prints every reconnect error to stderr; this says it at warn, rate-limited.
    new RedisOutageLog(this.logger, redisTarget(config.REDIS_URL)).watch(this.redis);
  }

  /** Counts one hit on `bucket`; allowed while the window's count is at most `limit`. */
  async hit(bucket: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict> {
    const windowMs = windowSeconds * 1000;
    const now = this.clock.nowMs();
    const window = Math.floor(now / windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    const key = `${bucket}:${window}`;
    try {
      const count = await this.counts.submit(`${key}@${windowMs * 2}`);
      return { allowed: count <= limit, retryAfterSeconds };
    } catch (error) {
      this.logger.warn({ err: error, bucket }, 'rate limiter unavailable; allowing the request');
      return { allowed: true, retryAfterSeconds };
    }
  }

  /** Counts every hit of a batch (items are `key@ttlMs`) in one MULTI; answers each hit's own count. */
  private async incrementAll(items: string[]): Promise<BatchOutcome<number>[]> {
    const perKey = new Map<string, number>();
    for (const item of items) perKey.set(item, (perKey.get(item) ?? 0) + 1);
    const multi = this.redis.multi();
    for (const [item, n] of perKey) {
      const at = item.lastIndexOf('@');
      const key = item.slice(0, at);
      multi.incrby(key, n).pexpire(key, Number(item.slice(at + 1)));
    }
    const results = await multi.exec();
    if (!results) throw new Error('rate limiter MULTI was aborted');
    const totals = new Map<string, number>();
    [...perKey.keys()].forEach((item, i) => {
      const [error, total] = results[i * 2];
      if (error) throw error;
      totals.set(item, Number(total) - perKey.get(item)!);
    });
    // Hand out the counts in arrival order, as separate INCRs would have.
    return items.map((item) => {
      const count = totals.get(item)! + 1;
      totals.set(item, count);
      return { ok: true as const, value: count };
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
