import { HubFlows } from './host/hub-flows';
import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactsModule } from '@optline/contacts';
import { ConsentModule } from '@optline/consent';
import { raw } from 'express';
import { PluginHost } from './contract/plugin-host';
import { EventConsentApplier } from './dispatch/event-consent.applier';
import { EventContactResolver } from './dispatch/event-contact.resolver';
import { EventDispatchService } from './dispatch/event-dispatch.service';
import { TriggerEventAdminService } from './events/trigger-event-admin.service';
import { TriggerEventConsumers } from './events/trigger-event-consumers';
import { TriggerEventController } from './events/trigger-event.controller';
import { TriggerEvent } from './events/trigger-event.entity';
import { TriggerEventErasureHook } from './events/trigger-event-erasure.hook';
import { TriggerEventRepository } from './events/trigger-event.repository';
import { TriggerEventStore } from './events/trigger-event-store.service';
import { InstallationAccess } from './host/installation-access.service';
import { PluginHostService } from './host/plugin-host.service';
import { IngressInstallations } from './ingress/ingress-installations.service';
import { RateLimiter } from './ingress/rate-limiter.service';
import { WebhookIngressController } from './ingress/webhook-ingress.controller';
import { WebhookIngressService } from './ingress/webhook-ingress.service';
import { InstallationConfigCodec } from './installations/installation-config.codec';
import { InstallationDeliveries } from './installations/installation-deliveries.service';
import { InstallationController } from './installations/installation.controller';
import { InstallationRepository } from './installations/installation.repository';
import { InstallationService } from './installations/installation.service';
import { InstallationViewService } from './installations/installation-view.service';
import { PluginInstallation } from './installations/plugin-installation.entity';
import { PluginRegistry } from './registry/plugin-registry';
import { ConsentWritebackRunner } from './writeback/consent-writeback.runner';
import { ConsentWritebackScheduler } from './writeback/consent-writeback.scheduler';
import { PluginWriteback } from './writeback/plugin-writeback.entity';
import { WritebackRepository } from './writeback/writeback.repository';

/** Bodies of webhooks that are neither JSON nor forms (XML, text) still reach plugins as raw bytes. */
const WEBHOOK_RAW_LIMIT = '1mb';

/**
 * The plugin SDK's API side: registry, installations, webhook ingress, the trigger-event store
 * and its admin API, consent write-back scheduling, and the PluginHost plugins receive. Plugin
 * modules import it; its processors live in PluginSdkWorkerModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PluginInstallation, TriggerEvent, PluginWriteback]), ContactsModule, ConsentModule],
  controllers: [InstallationController, WebhookIngressController, TriggerEventController],
  providers: [
    PluginRegistry,
    TriggerEventConsumers,
    InstallationRepository,
    InstallationConfigCodec,
    InstallationService,
    InstallationViewService,
    TriggerEventRepository,
    TriggerEventStore,
    TriggerEventAdminService,
    TriggerEventErasureHook,
    RateLimiter,
    IngressInstallations,
    InstallationDeliveries,
    WebhookIngressService,
    WritebackRepository,
    ConsentWritebackScheduler,
    ConsentWritebackRunner,
    EventDispatchService,
    EventContactResolver,
    EventConsentApplier,
    InstallationAccess,
    HubFlows,
    { provide: PluginHost, useClass: PluginHostService },
  ],
  exports: [PluginRegistry, TriggerEventConsumers, TriggerEventStore, PluginHost, EventDispatchService, ConsentWritebackRunner, HubFlows],
})
export class PluginSdkModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // JSON and form bodies were already read (with their raw bytes) by the app's parsers; this
    // only catches other content types, which those parsers leave unread.
    consumer.apply(raw({ type: () => true, limit: WEBHOOK_RAW_LIMIT })).forRoutes({ path: 'hooks/*path', method: RequestMethod.POST });
  }
}
