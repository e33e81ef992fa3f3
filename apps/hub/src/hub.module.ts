import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, Clock, CoreModule } from '@optline/core';
import { HealthModule } from './health/health.module';

export interface HubOptions {
  config: AppConfig;
  clock?: Clock;
}

/**
 * The composition root. Libraries contribute their API modules; their worker modules (Bull
 * processors) are added only when this process runs workers (HUB_ROLE=all|worker).
 */
@Module({})
export class HubModule {
  static forRoot(options: HubOptions): DynamicModule {
    const apiModules: DynamicModule['imports'] = [HealthModule];
    const workerModules: DynamicModule['imports'] = [];
    return {
      module: HubModule,
      imports: [
        CoreModule.forRoot({ config: options.config, clock: options.clock }),
        DiscoveryModule,
        ...apiModules,
        ...(options.config.runsWorkers ? workerModules : []),
      ],
    };
  }
}
