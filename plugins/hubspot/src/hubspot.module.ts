import { Module, OnModuleInit } from '@nestjs/common';
import { PluginRegistry, PluginSdkModule } from '@optline/plugin-sdk';
import { HubspotClientFactory } from './crm/hubspot-client.factory';
import { HubspotConnectionCheck } from './crm/hubspot-connection-check.service';
import { HubspotCrmService } from './crm/hubspot-crm.service';
import { HubspotPlugin } from './hubspot.plugin';
import { HubspotConnectController, HubspotOAuthController } from './oauth/hubspot-oauth.controller';
import { HubspotOAuthClient } from './oauth/hubspot-oauth.client';
import { HubspotOAuthService } from './oauth/hubspot-oauth.service';
import { HubspotTokenService } from './oauth/hubspot-token.service';
import { HubspotSubscriptionService } from './subscriptions/hubspot-subscriptions.service';
import { HubspotContactResolver } from './webhooks/hubspot-contact-resolver.service';
import { HubspotWebhookService } from './webhooks/hubspot-webhook.service';
import { HubspotConsentWriteback } from './writeback/hubspot-consent-writeback.service';

/**
 * The HubSpot plugin. Its routes are the OAuth connect flow's; webhooks arrive through the SDK's
 * ingress and write-backs run in the SDK's 'plugin.consent-writeback' job, so the module is the
 * same in api and worker processes.
 */
@Module({
  imports: [PluginSdkModule],
  controllers: [HubspotConnectController, HubspotOAuthController],
  providers: [
    HubspotClientFactory,
    HubspotCrmService,
    HubspotContactResolver,
    HubspotWebhookService,
    HubspotConsentWriteback,
    HubspotConnectionCheck,
    HubspotOAuthClient,
    HubspotTokenService,
    HubspotOAuthService,
    HubspotSubscriptionService,
    HubspotPlugin,
  ],
  exports: [HubspotClientFactory, HubspotPlugin],
})
export class HubspotPluginModule implements OnModuleInit {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly plugin: HubspotPlugin,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.plugin);
  }
}
