import { Module, OnModuleInit } from '@nestjs/common';
import { PluginRegistry, PluginSdkModule } from '@optline/plugin-sdk';
import { ShopifyAdminClientFactory } from './admin/shopify-admin-client.factory';
import { ShopifyAdminEndpoint } from './admin/shopify-admin-endpoint';
import { ShopifyConsentWritebackService } from './consent/shopify-consent-writeback.service';
import { ShopifyEventTranslator } from './mapping/shopify-event-translator.service';
import { ShopifyConnectController, ShopifyOAuthController } from './oauth/shopify-oauth.controller';
import { ShopifyOAuthService } from './oauth/shopify-oauth.service';
import { ShopifyPrivacyController } from './privacy/shopify-privacy.controller';
import { ShopifyPrivacyService } from './privacy/shopify-privacy.service';
import { ShopifyPlugin } from './shopify.plugin';
import { WebhookSubscriptionService } from './webhooks/webhook-subscriptions.service';

/**
 * The Shopify plugin module: registers the plugin with the hub's PluginRegistry at start-up.
 * Its write-back runs in the SDK's worker (`plugin.consent-writeback`), so it has no processors.
 */
@Module({
  imports: [PluginSdkModule],
  controllers: [ShopifyPrivacyController, ShopifyConnectController, ShopifyOAuthController],
  providers: [
    ShopifyPlugin,
    ShopifyAdminEndpoint,
    ShopifyAdminClientFactory,
    ShopifyEventTranslator,
    ShopifyPrivacyService,
    WebhookSubscriptionService,
    ShopifyConsentWritebackService,
    ShopifyOAuthService,
  ],
  exports: [ShopifyAdminEndpoint],
})
export class ShopifyPluginModule implements OnModuleInit {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly plugin: ShopifyPlugin,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.plugin);
  }
}
