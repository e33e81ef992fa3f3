import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@optline/core';
import { HygieneRepository } from './hygiene.repository';
import { NumberHygiene } from './number-hygiene.service';

const SWEEP_EVERY_MS = 60_000;

/**
 * In worker processes: every minute, looks up the numbers of contacts never looked up in the
 * workspaces that turned lookup on — an import's numbers are checked within a minute or so,
 * before most of them are ever texted, and off the send path.
 */
@Injectable()
export class HygieneSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;

  constructor(hygiene: NumberHygiene, repository: HygieneRepository) {
    this.task = new PeriodicTask('hygiene-sweep', SWEEP_EVERY_MS, async () => {
      for (const workspaceId of await repository.workspacesWithLookup()) await hygiene.sweep(workspaceId);
    });
  }

  onApplicationBootstrap(): void {
    this.task.start({ runNow: false });
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }
}
