import { Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@optline/core';
import { RecomputeService } from './recompute/recompute.service';
import { ReportingModule } from './reporting.module';

/** Worker processes run the recomputes asked for (a lease row per workspace; docs/decisions/0212). */
@Module({ imports: [ReportingModule] })
export class ReportingWorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(recompute: RecomputeService) {
    this.task = new PeriodicTask('report-recompute', 1000, () => recompute.runPending());
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
