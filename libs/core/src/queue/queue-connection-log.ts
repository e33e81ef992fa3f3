import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobQueue } from './job-queue.service';
import { RedisOutageLog, redisTarget } from './redis-outage-log';

/**
 * Says in the log when the queues lose Redis and when they get it back (rate-limited), instead of
 * Bull swallowing the connection errors. All queues share one Redis, so they share one outage log.
 */
@Injectable()
export class QueueConnectionLog implements OnModuleInit {
  private readonly logger = new Logger('Redis');

  constructor(
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const outage = new RedisOutageLog(this.logger, redisTarget(this.config.REDIS_URL));
    // `client` is the queue's command connection (created on first use); its `ready` ends an outage.
    for (const queue of this.jobs.all()) outage.watch(queue, [queue.client]);
  }
}
