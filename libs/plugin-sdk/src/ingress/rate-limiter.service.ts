import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, RedisOutageLog, redisTarget } from '@optline/core';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitVerdict } from '../contract/plugin-host';

/**
 * Request limits shared by every hub process, counted in Redis by rate-limiter-flexible
 * (decision 0237): one atomic Lua call per hit (SET NX with the window's TTL, INCRBY, PTTL), the
 * window opening at a bucket's first hit and closing when its key expires. Hits made in the same
 * turn of the event loop go to Redis in one write (ioredis auto-pipelining), so a burst of
 * webhooks costs one round trip, as the hand-written MULTI did. When Redis cannot answer, requests
 * are let through: a limiter must not turn an outage into lost webhooks.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: Redis;
  /** One limiter per (limit, window): rate-limiter-flexible fixes both at construction. */
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL, {
      keyPrefix: `${config.QUEUE_PREFIX}:rate:`,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      enableAutoPipelining: true,
    });
    // Without a listener ioredis prints every reconnect error to stderr; this says it at warn, rate-limited.
    new RedisOutageLog(this.logger, redisTarget(config.REDIS_URL)).watch(this.redis);
  }

  /** Counts one hit on `bucket`; allowed while the window's count is at most `limit`. */
  async hit(bucket: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict> {
    try {
      const res = await this.limiter(limit, windowSeconds).consume(bucket);
      return { allowed: true, retryAfterSeconds: secondsOf(res, windowSeconds) };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: secondsOf(rejection, windowSeconds) };
      this.logger.warn({ err: rejection, bucket }, 'rate limiter unavailable; allowing the request');
      return { allowed: true, retryAfterSeconds: windowSeconds };
    }
  }

  private limiter(limit: number, windowSeconds: number): RateLimiterRedis {
    const id = `${limit}/${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      // The key names the window length, not the limit: an installation whose limit is changed
      // keeps the hits it already made in the open window.
      limiter = new RateLimiterRedis({ storeClient: this.redis, keyPrefix: `${windowSeconds}s`, points: limit, duration: windowSeconds });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Whole seconds until the window closes, at least 1 (Retry-After takes integers). */
function secondsOf(res: RateLimiterRes, windowSeconds: number): number {
  const ms = res.msBeforeNext;
  return Number.isFinite(ms) && ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : windowSeconds;
}
