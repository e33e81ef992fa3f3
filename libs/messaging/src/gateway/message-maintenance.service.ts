import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@optline/core';
import { MessageReconciler } from './message-reconciler.service';

const RECONCILE_EVERY_MS = 60_000;

/** In worker processes: re-arms due messages from Postgres at boot and every minute (law 3). */
@Injectable()
export class MessageMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(reconciler: MessageReconciler) {
    this.task = new PeriodicTask('message-reconciler', RECONCILE_EVERY_MS, () => reconciler.rearmDue());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
