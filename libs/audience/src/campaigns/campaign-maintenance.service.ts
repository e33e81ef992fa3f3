import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@optline/core';
import { CampaignRunner } from './campaign-runner.service';

const EVERY_MS = 1_000;

/**
 * Worker processes look for campaign work every second: due scheduled campaigns, and sending
 * ones no live worker holds (after a crash, a restart, a Redis flush). An in-process timer on
 * purpose, not a Redis job: the campaign's state is its Postgres row, and losing Redis must not
 * lose the work that recovers it (law 3). Several workers may run it; the row's lease decides.
 */
@Injectable()
export class CampaignMaintenance implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(private readonly runner: CampaignRunner) {
    this.task = new PeriodicTask('campaign-runner', EVERY_MS, () => runner.runDue());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    this.runner.stop();
    return this.task.stop();
  }

  /** One pass now (tests call it after moving the clock). */
  tick(): Promise<void> {
    return this.task.tick();
  }
}
