import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { RedisOutageLog, redisTarget } from '../queue/redis-outage-log';
import { hashToken } from './tokens';

/** Failed sign-ins allowed per email, and per client address, in one window (docs/decisions/0171). */
export const LOGIN_LIMITS = { perEmail: 5, perIp: 30, windowSeconds: 15 * 60 } as const;

/**
 * Counts failed sign-ins in Redis, shared by every api process, in fixed windows of the hub's
 * clock. A success clears the email's count. When Redis cannot answer, sign-in is let through
 * (and logged): an outage of the limiter must not lock every person out of the console.
 */
@Injectable()
export class LoginThrottle implements OnModuleDestroy {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly redis: Redis;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.redis = new Redis(config.REDIS_URL, { keyPrefix: `${config.QUEUE_PREFIX}:login:`, maxRetriesPerRequest: 1, lazyConnect: true });
    // Without a listener ioredis prints every reconnect error to stderr; this says it at warn, rate-limited.
    new RedisOutageLog(this.logger, redisTarget(config.REDIS_URL)).watch(this.redis);
  }

  /** Refuses with 429 and Retry-After while the email or the address has failed too often. */
  async assertAllowed(email: string, ip: string | undefined): Promise<void> {
    const { keys, retryAfterSeconds } = this.window(email, ip);
    let counts: (string | null)[];
    try {
      counts = await this.redis.mget(...keys);
    } catch (error) {
      this.logger.warn({ err: error }, 'login limiter unavailable; allowing the attempt');
      return;
    }
    const [byEmail, byIp] = counts.map((c) => Number(c ?? 0));
    if (byEmail >= LOGIN_LIMITS.perEmail || (ip !== undefined && byIp >= LOGIN_LIMITS.perIp)) {
      throw new DomainError('rate_limited', 'too_many_attempts', `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, [], retryAfterSeconds);
    }
  }

  async recordFailure(email: string, ip: string | undefined): Promise<void> {
    const { keys } = this.window(email, ip);
    const ttlMs = LOGIN_LIMITS.windowSeconds * 2000;
    try {
      const multi = this.redis.multi();
      for (const key of ip === undefined ? keys.slice(0, 1) : keys) multi.incr(key).pexpire(key, ttlMs);
      await multi.exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'login limiter unavailable; failure not counted');
    }
  }

  async clear(email: string): Promise<void> {
    try {
      await this.redis.del(this.window(email, undefined).keys[0]);
    } catch (error) {
      this.logger.warn({ err: error }, 'login limiter unavailable; count not cleared');
    }
  }

  private window(email: string, ip: string | undefined): { keys: string[]; retryAfterSeconds: number } {
    const windowMs = LOGIN_LIMITS.windowSeconds * 1000;
    const now = this.clock.nowMs();
    const index = Math.floor(now / windowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil(((index + 1) * windowMs - now) / 1000));
    // Emails are hashed so Redis never holds the address book of who tried to sign in.
    return { keys: [`email:${hashToken(email)}:${index}`, `ip:${ip ?? '-'}:${index}`], retryAfterSeconds };
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
