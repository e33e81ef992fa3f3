import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock, PeriodicTask } from '@optline/core';
import { FlowReconciler } from '../runner/flow-reconciler.service';
import { ScheduledEventScanner } from './scheduled-event.scanner';

const RECONCILE_EVERY_MS = 60_000;
const SCAN_EVERY_MS = 60 * 60_000;

/**
 * The flow engine's periodic work in worker processes: the reconciler every minute (and once at
 * boot), the scheduled-event scan every hour. Driven by a timer in the process rather than a
 * Redis repeatable job on purpose: a FLUSHALL would erase the repeatable job along with the
 * work it is meant to recover. Every pass is idempotent, so several workers may run it.
 */
@Injectable()
export class FlowMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task = new PeriodicTask('flow-maintenance', RECONCILE_EVERY_MS, () => this.pass());
  private lastScanAt = 0;

  constructor(
    private readonly reconciler: FlowReconciler,
    private readonly scanner: ScheduledEventScanner,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One pass (also what tests call after moving the clock). Overlapping calls share a pass. */
  tick(): Promise<void> {
    return this.task.tick();
  }

  private async pass(): Promise<void> {
    if (this.clock.nowMs() - this.lastScanAt >= SCAN_EVERY_MS) {
      this.lastScanAt = this.clock.nowMs();
      await this.scanner.scan();
    }
    await this.reconciler.reconcile();
  }
}
