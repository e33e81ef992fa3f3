export * from './jobs';
export * from './job-queue.service';
export * from './queue.module';
export * from './redis-outage-log';
