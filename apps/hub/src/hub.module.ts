import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, Clock, CoreModule } from '@optline/core';
import { AudienceApiModule, AudienceWorkerModule } from '@optline/audience';
import { ConsentApiModule, ContactImportWorkerModule } from '@optline/consent';
import { ContactsApiModule } from '@optline/contacts';
import { ConversationsApiModule, ConversationsWorkerModule } from '@optline/conversations';
import { FlowsModule, FlowsWorkerModule } from '@optline/flows';
import { MessagingApiModule, MessagingWorkerModule } from '@optline/messaging';
import { PluginSdkModule, PluginSdkWorkerModule } from '@optline/plugin-sdk';
import { ReportingApiModule, ReportingWorkerModule } from '@optline/reporting';
import { RegistrationApiModule } from '@optline/registration';
import { OutboundWebhooksApiModule, OutboundWebhooksWorkerModule } from '@optline/outbound-webhooks';
import { GoogleCalendarPluginModule, GoogleCalendarWorkerModule } from '@optline/plugin-google-calendar';
import { HubspotPluginModule } from '@optline/plugin-hubspot';
import { ShopifyPluginModule } from '@optline/plugin-shopify';
import { WebFormsPluginModule } from '@optline/plugin-web-forms';
import { HealthModule } from './health/health.module';
import { MetricsEndpointModule } from './metrics/metrics-endpoint.module';
import { ShutdownLog } from './health/shutdown-log';
import { QueuesApiModule } from './queues/queues.module';

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
    const apiModules: DynamicModule['imports'] = [HealthModule, MetricsEndpointModule, ContactsApiModule, ConsentApiModule, ShopifyPluginModule, PluginSdkModule, WebFormsPluginModule, HubspotPluginModule, MessagingApiModule, GoogleCalendarPluginModule, FlowsModule, ConversationsApiModule, AudienceApiModule, ReportingApiModule, RegistrationApiModule, OutboundWebhooksApiModule, QueuesApiModule];
    const workerModules: DynamicModule['imports'] = [ContactImportWorkerModule, PluginSdkWorkerModule, MessagingWorkerModule, GoogleCalendarWorkerModule, FlowsWorkerModule, ConversationsWorkerModule, AudienceWorkerModule, ReportingWorkerModule, OutboundWebhooksWorkerModule];
    return {
      module: HubModule,
      imports: [
        CoreModule.forRoot({ config: options.config, clock: options.clock }),
        DiscoveryModule,
        ...apiModules,
        ...(options.config.runsWorkers ? workerModules : []),
      ],
      // Every role says when it stops (API-only and worker-only processes alike).
      providers: [ShutdownLog],
    };
  }
}
