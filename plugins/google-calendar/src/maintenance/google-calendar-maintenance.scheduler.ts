import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock, JobQueue } from '@optline/core';

/** How often housekeeping runs; channel renewal starts a day before expiry, so this is ample. */
export const MAINTENANCE_INTERVAL_MS = 5 * 60_000;

/**
 * Queues the `google-calendar.maintain` job every few minutes in each worker process. The job id
 * carries the time slot, so N workers queue it once per slot between them.
 */
@Injectable()
export class GoogleCalendarMaintenanceScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(GoogleCalendarMaintenanceScheduler.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    try {
      await this.jobs.enqueue('google-calendar.maintain', { scope: 'all' }, { attempt: Math.floor(this.clock.nowMs() / MAINTENANCE_INTERVAL_MS) });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not queue google-calendar maintenance; the next tick retries');
    }
  }
}
