import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobQueue } from './job-queue.service';
import { QueueConnectionLog } from './queue-connection-log';
import { QUEUES } from './jobs';

const queueRegistrations = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name })));

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: config.REDIS_URL,
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    queueRegistrations,
  ],
  providers: [JobQueue, QueueConnectionLog],
  exports: [JobQueue, queueRegistrations],
})
export class QueueModule {}
