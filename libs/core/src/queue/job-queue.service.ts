import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { JOB_IDS, JOB_QUEUE, JobName, JobPayloads, QUEUES, QueueName } from './jobs';

export interface EnqueueOptions {
  /** Run no earlier than this instant. */
  runAt?: Date;
  /** Distinguishes a deliberate re-arm from the first enqueue (see JOB_IDS). */
  attempt?: string | number;
  /** The clock's "now", so delays follow the hub's clock rather than the machine's. */
  now?: Date;
  priority?: number;
}

const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

/**
 * The only producer of jobs. Every enqueue goes through here with a typed payload and a
 * deterministic id, so swapping Bull for another queue later touches this module alone.
 */
@Injectable()
export class JobQueue {
  private readonly queues: Record<QueueName, Queue>;

  constructor(
    @InjectQueue(QUEUES.events) events: Queue,
    @InjectQueue(QUEUES.flowSteps) flowSteps: Queue,
    @InjectQueue(QUEUES.sends) sends: Queue,
    @InjectQueue(QUEUES.imports) imports: Queue,
    @InjectQueue(QUEUES.pluginTasks) pluginTasks: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectQueue(QUEUES.webhooks) webhooks: Queue,
  ) {
    this.queues = { events, 'flow-steps': flowSteps, sends, imports, 'plugin-tasks': pluginTasks, maintenance, webhooks };
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<string> {
    const jobId = JOB_IDS[name](payload, options.attempt);
    const now = options.now?.getTime() ?? Date.now();
    const delay = options.runAt ? Math.max(0, options.runAt.getTime() - now) : undefined;
    await this.queue(name).add(name, payload, { ...DEFAULT_JOB_OPTIONS, jobId, delay, priority: options.priority });
    return jobId;
  }

  /** Enqueues many jobs of one name in a single round trip. */
  async enqueueMany<N extends JobName>(name: N, payloads: JobPayloads[N][], options: Omit<EnqueueOptions, 'runAt'> = {}): Promise<void> {
    if (payloads.length === 0) return;
    await this.queue(name).addBulk(
      payloads.map((payload) => ({
        name,
        data: payload,
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: JOB_IDS[name](payload, options.attempt), priority: options.priority },
      })),
    );
  }

  /**
   * A row that failed inside a batch job goes back to a job of its own, a second later, with its
   * own retries, backoff and final attempt.
   */
  async retryAlone<N extends JobName>(name: N, payload: JobPayloads[N], now = new Date()): Promise<string> {
    return this.enqueue(name, payload, { runAt: new Date(now.getTime() + 1_000), now, attempt: `retry:${now.getTime()}` });
  }

  /** Whether a job with this id is waiting, delayed or running (used by reconcilers). */
  async has<N extends JobName>(name: N, payload: JobPayloads[N], attempt?: string | number): Promise<boolean> {
    const job = await this.queue(name).getJob(JOB_IDS[name](payload, attempt));
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'delayed' || state === 'active' || state === 'paused';
  }

  queue(name: JobName): Queue {
    return this.queues[JOB_QUEUE[name]];
  }

  /** All queues, for health checks, draining at shutdown and tests. */
  all(): Queue[] {
    return Object.values(this.queues);
  }
}
