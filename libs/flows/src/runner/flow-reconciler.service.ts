import { Injectable, Logger } from '@nestjs/common';
import { Clock, Metrics } from '@optline/core';
import { FlowRunRepository } from '../persistence/flow-run.repository';
import { FlowTimers } from './flow-timers';

export interface ReconcileReport {
  due: number;
  armed: number;
  promoted: number;
}

const PAGE = 500;
const PARALLEL = 50;

/**
 * Re-arms due work from Postgres (law 3): every live run whose wake-up has come gets a job that
 * runs now — a lost one re-added (after a FLUSHALL or a crash between commit and enqueue), a
 * delayed one promoted. Arming is idempotent by job id and a step runs only if the row is
 * still on it, so reconciling any number of times never doubles a step.
 */
@Injectable()
export class FlowReconciler {
  private readonly logger = new Logger(FlowReconciler.name);

  constructor(
    private readonly runs: FlowRunRepository,
    private readonly timers: FlowTimers,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const now = this.clock.now();
    const report: ReconcileReport = { due: 0, armed: 0, promoted: 0 };
    let cursor: { wakeAt: Date; id: string } | undefined;
    const enrolmentJobs = new Map<string, Promise<boolean>>();
    for (;;) {
      const page = await this.runs.due(now, PAGE, cursor);
      if (page.length === 0) break;
      report.due += page.length;
      for (let i = 0; i < page.length; i += PARALLEL) {
        const results = await Promise.all(page.slice(i, i + PARALLEL).map((run) => this.timers.ensureRunning(run, enrolmentJobs)));
        report.armed += results.filter((r) => r === 'armed').length;
        report.promoted += results.filter((r) => r === 'promoted').length;
      }
      const last = page[page.length - 1];
      cursor = { wakeAt: last.wakeAt!, id: last.id };
      if (page.length < PAGE) break;
    }
    this.metrics.rearmed.inc({ reconciler: 'flow_runs' }, report.armed);
    if (report.armed > 0) this.logger.log(report, 're-armed flow runs that had no job');
    return report;
  }
}
