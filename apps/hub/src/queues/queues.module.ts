import { Module } from '@nestjs/common';
import { QueueInspector } from './queue-inspector.service';
import { QueuesController } from './queues.controller';

/** /v1/queues (the dashboard itself is mounted on Express in bootstrap.ts). */
@Module({ controllers: [QueuesController], providers: [QueueInspector] })
export class QueuesApiModule {}
