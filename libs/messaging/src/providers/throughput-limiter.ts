import { Injectable } from '@nestjs/common';
import { AppConfig, JobQueue } from '@optline/core';

/** A send waits at most this long for its slot; beyond it the job is retried later instead. */
const MAX_WAIT_MS = 10_000;

/**
 * Reserves the next free slot of a sender (GCRA): slots are 1000/perSecond ms apart, kept in one
 * Redis key shared by every worker. Answers the wait in ms, or -1 when the wait would exceed the
 * maximum (nothing is reserved then).
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nextFree)
if at - now > maxWait then return -1 end
redis.call('SET', KEYS[1], tostring(at + interval), 'PX', math.floor(at + interval - now + 1000))
return at - now
`;

export class ThroughputExceededError extends Error {
  override name = 'ThroughputExceededError';
}

/**
 * Keeps each sender under its carrier rate (messages per second) across every worker process,
 * spacing sends evenly rather than bursting at the start of each second. Carriers meter real
 * seconds, so this uses the machine's clock, not the hub's.
 */
@Injectable()
export class ThroughputLimiter {
  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  /** Resolves when one more message may leave `sender`; `perSecond` undefined means unlimited. */
  async acquire(sender: string, perSecond: number | undefined): Promise<void> {
    if (!perSecond) return;
    const redis = this.jobs.queue('sms.send').client;
    const key = `${this.config.QUEUE_PREFIX}:rate:${sender}`;
    const interval = Math.ceil(1000 / perSecond);
    const wait = Number(await redis.eval(RESERVE, 1, key, String(Date.now()), String(interval), String(MAX_WAIT_MS)));
    if (wait < 0) throw new ThroughputExceededError(`sender ${sender} is booked beyond ${MAX_WAIT_MS} ms at ${perSecond} msg/s; retrying later`);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
