import { Injectable } from '@nestjs/common';
import type {
  CanonicalEvent,
  CanonicalEventType,
  ConsentWriteback,
  InstallationContext,
  LifecycleResult,
  OptlinePlugin,
  PluginRequest,
  VerifyResult,
} from '@optline/plugin-sdk';
import { ShopifyConfig } from './config/shopify-config.dto';
import { ShopifyConsentWritebackService } from './consent/shopify-consent-writeback.service';
import { ShopifyEventTranslator } from './mapping/shopify-event-translator.service';
import { verifyShopifySignature } from './verification/shopify-signature';
import { WebhookSubscriptionService } from './webhooks/webhook-subscriptions.service';

export const SHOPIFY_PLUGIN_ID = 'shopify';

/**
 * The Shopify plugin: checkouts, orders, fulfillments and customers become canonical events;
 * opt-outs made in Optline are written back to Shopify's SMS marketing consent; Shopify's
 * mandatory privacy webhooks are answered. Stateless: everything per shop arrives in the
 * installation.
 */
@Injectable()
export class ShopifyPlugin implements OptlinePlugin<ShopifyConfig> {
  readonly id = SHOPIFY_PLUGIN_ID;
  readonly name = 'Shopify';
  readonly description = 'Abandoned carts, order confirmations, shipping updates and SMS consent kept in step with your Shopify store.';
  readonly emits: readonly CanonicalEventType[] = ['checkout.updated', 'order.created', 'order.shipped', 'order.delivered', 'contact.created', 'contact.updated'];
  readonly configClass = ShopifyConfig;
  readonly consentSource = 'shopify' as const;
  readonly ingress = { maxBodyBytes: 512 * 1024, requestsPerMinute: 1200 };

  constructor(
    private readonly translator: ShopifyEventTranslator,
    private readonly subscriptions: WebhookSubscriptionService,
    private readonly writeback: ShopifyConsentWritebackService,
  ) {}

  /**
   * Shopify's scheme: base64 HMAC-SHA256 of the raw body under the app's client secret (or the
   * previous one during a rotation), and the delivery must name this installation's shop.
   */
  verify(request: PluginRequest, installation: InstallationContext<ShopifyConfig>): VerifyResult {
    const config = installation.config;
    const shop = request.headers['x-shopify-shop-domain']?.trim().toLowerCase();
    if (!shop) return { ok: false, reason: 'X-Shopify-Shop-Domain header is missing' };
    const secrets = [config.clientSecret];
    if (config.previousClientSecret && !expired(config.previousClientSecretExpiresAt, request.receivedAt)) secrets.push(config.previousClientSecret);
    // The signature first, so a forged request learns nothing about which shop is installed here.
    if (!verifyShopifySignature(request.rawBody, request.headers['x-shopify-hmac-sha256'], secrets)) {
      return { ok: false, reason: 'X-Shopify-Hmac-Sha256 does not match the body under the app secret' };
    }
    if (shop !== config.shopDomain) return { ok: false, reason: `X-Shopify-Shop-Domain ${shop} is not this installation's shop` };
    return { ok: true };
  }

  toEvents(request: PluginRequest, installation: InstallationContext<ShopifyConfig>): Promise<CanonicalEvent[]> {
    return this.translator.toEvents(request, installation);
  }

  async onEnable(installation: InstallationContext<ShopifyConfig>): Promise<LifecycleResult> {
    return { state: await this.subscriptions.enable(installation) };
  }

  async onDisable(installation: InstallationContext<ShopifyConfig>): Promise<LifecycleResult> {
    return { state: await this.subscriptions.disable(installation) };
  }

  async onConsentChanged(change: ConsentWriteback, installation: InstallationContext<ShopifyConfig>): Promise<void> {
    await this.writeback.apply(change, installation);
  }
}

function expired(until: string | null | undefined, now: Date): boolean {
  return typeof until === 'string' && Date.parse(until) <= now.getTime();
}
