import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock, JobQueue, PeriodicTask } from '@optline/core';

/** How often housekeeping runs; channel renewal starts a day before expiry, so this is ample. */
export const MAINTENANCE_INTERVAL_MS = 5 * 60_000;

/**
 * Queues the `google-calendar.maintain` job every few minutes in each worker process. The job id
 * carries the time slot, so N workers queue it once per slot between them.
 */
@Injectable()
export class GoogleCalendarMaintenanceScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task = new PeriodicTask('google-calendar-maintenance', MAINTENANCE_INTERVAL_MS, () =>
    this.jobs.enqueue('google-calendar.maintain', { scope: 'all' }, { attempt: Math.floor(this.clock.nowMs() / MAINTENANCE_INTERVAL_MS) }),
  );

  constructor(
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start({ runNow: false });
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  tick(): Promise<void> {
    return this.task.tick();
  }
}
