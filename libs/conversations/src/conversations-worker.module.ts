import { Module } from '@nestjs/common';
import { ConversationsModule } from './conversations.module';

/**
 * Worker processes (HUB_ROLE=worker) send and receive too — inbound texts, send outcomes — so
 * they load the listeners; there is no processor of our own (docs/decisions/0135).
 */
@Module({ imports: [ConversationsModule] })
export class ConversationsWorkerModule {}
