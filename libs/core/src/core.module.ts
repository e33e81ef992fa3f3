import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './auth/access.guard';
import { ApiKeyController } from './auth/api-key.controller';
import { ApiKey } from './auth/api-key.entity';
import { ApiKeyService } from './auth/api-key.service';
import { Clock, SystemClock } from './clock/clock';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { DomainEventBus } from './events/domain-event-bus';
import { DomainExceptionFilter } from './http/domain-exception.filter';
import { LoggingModule } from './logging/logging.module';
import { QueueModule } from './queue/queue.module';
import { WorkspaceController } from './workspaces/workspace.controller';
import { Workspace } from './workspaces/workspace.entity';
import { WorkspaceService } from './workspaces/workspace.service';

export interface CoreModuleOptions {
  /** Loaded and validated by the caller (see loadAppConfig). */
  config: AppConfig;
  /** Replaces the system clock (tests, simulator). */
  clock?: Clock;
}

/**
 * Config, database, queues, clock, crypto, logging, workspaces, API keys and the access guard:
 * what every other library stands on.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(options: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        AppConfigModule.forRoot(options.config),
        LoggingModule,
        DatabaseModule,
        QueueModule,
        CryptoModule,
        TypeOrmModule.forFeature([Workspace, ApiKey]),
      ],
      controllers: [WorkspaceController, ApiKeyController],
      providers: [
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        WorkspaceService,
        ApiKeyService,
        DomainEventBus,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
      ],
      exports: [Clock, WorkspaceService, ApiKeyService, DomainEventBus, AppConfigModule, CryptoModule],
    };
  }
}
