import { Injectable } from '@nestjs/common';
import { DomainError, JobQueue, QUEUES, QueueName } from '@optline/core';
import type { Job, Queue } from 'bull';
import { FailedJobDto, QueueCountsDto, RetriedJobDto } from './queues.responses';

/** Failed jobs looked at per request before filtering by workspace. */
const SCAN = 1000;

/** Reads the queues for /v1/queues; retries a failed job. Knows nothing of what jobs do. */
@Injectable()
export class QueueInspector {
  constructor(private readonly jobs: JobQueue) {}

  async counts(): Promise<QueueCountsDto[]> {
    return Promise.all(
      this.jobs.all().map(async (queue) => {
        const [counts, paused] = await Promise.all([queue.getJobCounts(), queue.isPaused()]);
        return { name: queue.name, waiting: counts.waiting, active: counts.active, delayed: counts.delayed, failed: counts.failed, completed: counts.completed, paused };
      }),
    );
  }

  async failed(name: QueueName, workspaceId: string, limit: number): Promise<FailedJobDto[]> {
    const jobs = await this.queue(name).getFailed(0, SCAN - 1);
    return jobs
      .filter((job) => job && ownedBy(job, workspaceId))
      .sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0))
      .slice(0, limit)
      .map((job) => ({
        id: String(job.id),
        name: job.name,
        data: job.data as Record<string, unknown>,
        failedReason: job.failedReason ?? '',
        attemptsMade: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      }));
  }

  async retry(name: QueueName, workspaceId: string, jobId: string): Promise<RetriedJobDto | 'not_found' | 'not_failed'> {
    const job = await this.queue(name).getJob(jobId);
    if (!job || !ownedBy(job, workspaceId)) return 'not_found';
    if (!(await job.isFailed())) return 'not_failed';
    await job.retry();
    return { id: String(job.id), state: await job.getState() };
  }

  private queue(name: QueueName): Queue {
    const queue = this.jobs.all().find((q) => q.name === name);
    if (!queue) throw new DomainError('not_found', 'queue_not_found', `No queue ${name}; the queues are ${Object.values(QUEUES).join(', ')}`);
    return queue;
  }
}

/** A job belongs to the workspace its payload names; jobs of no workspace (maintenance) belong to none. */
function ownedBy(job: Job, workspaceId: string): boolean {
  return typeof job.data === 'object' && job.data !== null && (job.data as { workspaceId?: unknown }).workspaceId === workspaceId;
}
