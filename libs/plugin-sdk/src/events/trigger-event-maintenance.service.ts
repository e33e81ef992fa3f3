import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Metrics, PeriodicTask } from '@optline/core';
import { TriggerEventStore } from './trigger-event-store.service';

const EVERY_MS = 60_000;
/** Events younger than this may still have their dispatch job waiting in Redis. */
const STALE_AFTER_MS = 2 * 60_000;

/** In worker processes: re-queues stored events whose dispatch job was lost with Redis (law 3). */
@Injectable()
export class TriggerEventMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(store: TriggerEventStore, metrics: Metrics) {
    this.task = new PeriodicTask('trigger-event-rearm', EVERY_MS, async () => metrics.rearmed.inc({ reconciler: 'trigger_events' }, await store.rearmStale(STALE_AFTER_MS)));
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
