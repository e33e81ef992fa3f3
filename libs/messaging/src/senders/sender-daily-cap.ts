import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, Clock, JobQueue } from '@optline/core';
import { DataSource } from 'typeorm';

/**
 * How long after Redis lost the counters a process waits before counting the day again from
 * Postgres: a claim that reserved before the loss commits well within it (a paced claim is
 * taken at most 100 ms after its slot or not at all, decision 0144).
 */
export const CAP_RESEED_GUARD_MS = 2_000;

const DAY_MS = 86_400_000;

/**
 * Takes up to ARGV[2] of the day's remaining allowance (cap ARGV[3]) from KEYS[1]. A missing
 * counter answers {-1, wait}: the caller counts the day in Postgres and seeds it (SET NX), after
 * `wait` ms. KEYS[2] is a mark written at boot and never expiring: gone too, Redis lost its data,
 * so the count waits CAP_RESEED_GUARD_MS for claims reserved before the loss to commit (as the
 * rate limiter does, decision 0148).
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local used = redis.call('GET', KEYS[1])
if not used then
  local mark = redis.call('GET', KEYS[2])
  if not mark then
    mark = tostring(now + tonumber(ARGV[4]))
    redis.call('SET', KEYS[2], mark)
  end
  return {-1, math.max(0, tonumber(mark) - now)}
end
used = tonumber(used)
local grant = math.max(0, math.min(tonumber(ARGV[2]), tonumber(ARGV[3]) - used))
if grant > 0 then redis.call('INCRBY', KEYS[1], grant) end
return {grant, used + grant}
`;

const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 0
`;

/**
 * The brand's daily cap across every hub process: one counter per workspace and day (UTC, on
 * the hub's clock) in Redis, taken before a claim and given back for what was not claimed.
 * Postgres is the truth when Redis forgets: the day's hand-offs through the counted senders.
 */
@Injectable()
export class SenderDailyCap implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.redis()
      .set(this.markKey(), '0', 'NX')
      .catch(() => undefined);
  }

  /** The start of the next cap day (when a capped-out message may go). */
  nextDay(): Date {
    return new Date((Math.floor(this.clock.nowMs() / DAY_MS) + 1) * DAY_MS);
  }

  /** Takes up to `wanted` of today's allowance; returns how many were granted. */
  async reserve(workspaceId: string, wanted: number, cap: number, countedSenders: string[]): Promise<number> {
    if (wanted <= 0) return 0;
    const day = Math.floor(this.clock.nowMs() / DAY_MS);
    const key = this.dayKey(workspaceId, day);
    for (let attempt = 0; attempt < 3; attempt++) {
      const [granted, wait] = (await this.redis().eval(RESERVE, 2, key, this.markKey(), String(Date.now()), String(wanted), String(cap), String(CAP_RESEED_GUARD_MS))) as [number, number];
      if (granted >= 0) return granted;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const used = await this.countFromLog(workspaceId, day, countedSenders);
      await this.redis().set(key, String(used), 'PX', 2 * DAY_MS, 'NX');
    }
    return 0;
  }

  /** Gives back allowance reserved for messages that were not claimed after all. */
  async release(workspaceId: string, count: number): Promise<void> {
    if (count <= 0) return;
    await this.redis().eval(RELEASE, 1, this.dayKey(workspaceId, Math.floor(this.clock.nowMs() / DAY_MS)), String(count));
  }

  /**
   * The day's messages through the counted senders, from the log: those accepted from one of
   * them, and those still on their way (claimed, sender not known yet), to err on the safe side.
   */
  private async countFromLog(workspaceId: string, day: number, senders: string[]): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM message
        WHERE workspace_id = $1 AND direction = 'outbound' AND handed_off_at >= $2 AND handed_off_at < $3
          AND (sender = ANY($4::text[]) OR (sender IS NULL AND status = 'sending'))`,
      [workspaceId, new Date(day * DAY_MS), new Date((day + 1) * DAY_MS), senders],
    );
    return row.n;
  }

  private dayKey(workspaceId: string, day: number): string {
    return `${this.config.QUEUE_PREFIX}:daycap:${workspaceId}:${day}`;
  }

  private markKey(): string {
    return `${this.config.QUEUE_PREFIX}:daycap:~epoch`;
  }

  private redis() {
    return this.jobs.queue('sms.send').client;
  }
}
