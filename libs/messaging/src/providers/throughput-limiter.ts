import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, JobQueue } from '@optline/core';

/** Slots one process asks Redis for in one round trip. */
const MAX_SLOTS_PER_ASK = 64;

/** A send waits at most this long for its slot; beyond it the job is retried later instead. */
export const MAX_WAIT_MS = 10_000;

/**
 * How far ahead of now bulk traffic (campaigns, flows) may book a sender's slots. A priority text
 * (a STOP confirmation, a HELP answer, an agent's reply) is queued behind at most this much.
 */
export const BULK_AHEAD_MS = 1_000;

/**
 * How far ahead anyone may book. Also how long a sender whose limiter state vanished (Redis lost
 * its data) waits before its first new slot: slots booked before the loss end within this time.
 */
export const PRIORITY_AHEAD_MS = 2_000;

/**
 * Reserves the next free slots of a sender (GCRA): slots are `interval` ms apart, KEYS[1] holds
 * the next free instant, shared by every worker. Reserves up to ARGV[6] consecutive slots within
 * `maxAhead` and answers {wait of the first in ms, how many}; or {-(ms until the booking horizon
 * has room), 0} when the next slot lies beyond `maxAhead` (nothing is reserved then).
 *
 * A missing KEYS[1] is an idle sender (the key expires soon after its last slot) — unless Redis
 * lost its data, which KEYS[2] tells: it is written once at boot and never expires, so when it is
 * gone too the slots booked before the loss are unknown. Then every sender restarts no earlier
 * than `guard` ms after the loss was noticed (KEYS[2] keeps that instant), an empty bucket rather
 * than a fresh one. ARGV[4] is this process's own floor: it never reuses a slot it handed out.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local maxAhead = tonumber(ARGV[3])
local floor = tonumber(ARGV[4])
local guard = tonumber(ARGV[5])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree == 0 then
  local resumeAt = redis.call('GET', KEYS[2])
  if not resumeAt then
    resumeAt = tostring(now + guard)
    redis.call('SET', KEYS[2], resumeAt)
  end
  nextFree = tonumber(resumeAt)
end
local at = math.max(now, nextFree, floor)
if at - now > maxAhead then return {-(at - now - maxAhead), 0} end
local n = math.min(tonumber(ARGV[6]), math.floor((now + maxAhead - at) / interval) + 1)
redis.call('SET', KEYS[1], tostring(at + n * interval), 'PX', math.floor(at + n * interval - now + 1000))
return {at - now, n}
`;

export class ThroughputExceededError extends Error {
  override name = 'ThroughputExceededError';
}

interface Waiter {
  priority: boolean;
  deadline: number;
  /** Called with the slot's instant (machine ms): a timer that fires late does not move the slot. */
  resolve: (slotAt: number) => void;
  /** Woken this many ms before its slot (the caller prepares, then waits for the instant itself). */
  leadMs: number;
  reject: (error: Error) => void;
}

/** This process's queue for one sender: priority waiters first, then bulk, each in arrival order. */
interface SenderLane {
  waiting: Waiter[];
  interval: number;
  pumping: boolean;
  /** The first instant this process has not booked yet (its own slots are never handed out twice). */
  floor: number;
  wake: (() => void) | null;
}

/**
 * Keeps each sender under its carrier rate (messages per second) across every worker process,
 * spacing sends evenly rather than bursting at the start of each second. Carriers meter real
 * seconds, so this uses the machine's clock, not the hub's.
 *
 * Each process asks Redis for one sender's slots one at a time (one "pump" per sender), in its
 * own order: priority texts before bulk ones. Bulk traffic books at most BULK_AHEAD_MS ahead, so
 * a priority text never waits behind a long run of campaign slots (decision 0146).
 */
@Injectable()
export class ThroughputLimiter implements OnModuleInit {
  private readonly lanes = new Map<string, SenderLane>();

  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  /**
   * Marks this Redis as known to the limiter (see RESERVE): a missing mark later means lost state.
   * Not awaited, so a Redis that is not up yet does not hold the boot; the command still goes
   * out before any reservation of this process (one connection, in order). Unwritten, the first
   * reservation takes the Redis for one that lost its state: a single 2 s pause.
   */
  onModuleInit(): void {
    this.redis()
      .set(this.epochKey(), '0', 'NX')
      .catch(() => undefined);
  }

  /**
   * Resolves when one more message may leave `sender`, with the instant of its slot (machine ms):
   * a process that stalled (CPU starvation, GC, a reconnect storm) wakes its waiters late and
   * together, and the caller must know how late it is (decision 0159). `perSecond` undefined means
   * unlimited (resolves at once with now). With `leadMs` it resolves that much before the slot, so
   * the caller can do its work ahead and act at the slot's instant. Throws ThroughputExceededError
   * when no slot came within `maxWaitMs` (at most MAX_WAIT_MS).
   */
  async acquire(sender: string, perSecond: number | undefined, options: { priority?: boolean; maxWaitMs?: number; leadMs?: number } = {}): Promise<number> {
    if (!perSecond) return Date.now();
    const key = `${this.config.QUEUE_PREFIX}:rate:${sender}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { waiting: [], interval: 0, pumping: false, floor: 0, wake: null };
      this.lanes.set(key, lane);
    }
    lane.interval = Math.ceil(1000 / perSecond);
    const priority = options.priority === true;
    const current = lane;
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { priority, deadline: Date.now() + Math.min(options.maxWaitMs ?? MAX_WAIT_MS, MAX_WAIT_MS), resolve, reject, leadMs: options.leadMs ?? 0 };
      if (priority) {
        const firstBulk = current.waiting.findIndex((w) => !w.priority);
        current.waiting.splice(firstBulk < 0 ? current.waiting.length : firstBulk, 0, waiter);
        current.wake?.();
      } else {
        current.waiting.push(waiter);
      }
      if (!current.pumping) void this.pump(key, current);
    });
  }

  private async pump(key: string, lane: SenderLane): Promise<void> {
    lane.pumping = true;
    try {
      while (lane.waiting.length > 0) {
        const now = Date.now();
        for (const late of lane.waiting.filter((w) => w.deadline <= now)) {
          late.reject(new ThroughputExceededError(`sender ${key} had no free slot in time; retrying later`));
        }
        lane.waiting = lane.waiting.filter((w) => w.deadline > now);
        const head = lane.waiting[0];
        if (!head) break;
        const ahead = Math.min(head.priority ? PRIORITY_AHEAD_MS : BULK_AHEAD_MS, head.deadline - now);
        // The waiters of the head's class ask together: one round trip for many slots.
        let count = 0;
        while (count < lane.waiting.length && count < MAX_SLOTS_PER_ASK && lane.waiting[count].priority === head.priority) count++;
        const [answer, granted] = (await this.redis().eval(
          RESERVE,
          2,
          key,
          this.epochKey(),
          String(now),
          String(lane.interval),
          String(ahead),
          String(lane.floor),
          String(PRIORITY_AHEAD_MS),
          String(count),
        )) as [number, number];
        if (answer >= 0) {
          lane.floor = now + answer + granted * lane.interval;
          // Whoever is first now takes the slots (a priority waiter may have arrived meanwhile).
          for (const [i, taker] of lane.waiting.splice(0, granted).entries()) {
            const wait = answer + i * lane.interval;
            const wake = Math.max(0, wait - taker.leadMs);
            if (wake === 0) taker.resolve(now + wait);
            else setTimeout(() => taker.resolve(now + wait), wake);
          }
        } else {
          await new Promise<void>((done) => {
            const timer = setTimeout(finish, Math.min(-answer, Math.max(1, head.deadline - now)));
            function finish() {
              clearTimeout(timer);
              lane.wake = null;
              done();
            }
            lane.wake = finish;
          });
        }
      }
    } catch (error) {
      for (const waiter of lane.waiting.splice(0)) waiter.reject(error as Error);
    } finally {
      lane.pumping = false;
    }
  }

  private redis() {
    return this.jobs.queue('sms.send').client;
  }

  private epochKey(): string {
    return `${this.config.QUEUE_PREFIX}:rate:~epoch`;
  }
}
