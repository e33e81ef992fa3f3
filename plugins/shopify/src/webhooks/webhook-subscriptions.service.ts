import { Injectable, Logger } from '@nestjs/common';
import { invalidField } from '@optline/core';
import type { InstallationContext } from '@optline/plugin-sdk';
import { ShopifyAdminClientFactory } from '../admin/shopify-admin-client.factory';
import { ShopifyAdminClient, ShopifyApiError, WebhookSubscription } from '../admin/shopify-admin.client';
import type { ShopifyConfig } from '../config/shopify-config.dto';
import { SUBSCRIBED_TOPICS } from '../mapping/shopify-topics';

/** What one sync did at the shop, kept in the installation's state. */
export interface SubscriptionSyncResult {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  /** topic → Shopify webhook id after the sync. */
  webhooks: Record<string, number>;
}

/** A plan computed from what the shop already has; applying it makes the shop match exactly. */
export interface SubscriptionPlan {
  create: string[];
  update: { id: number; topic: string }[];
  delete: WebhookSubscription[];
  keep: WebhookSubscription[];
}

/**
 * Makes the shop's webhook subscriptions match what the plugin needs, idempotently: list, create
 * the missing topics, move subscriptions that point elsewhere to our address, delete duplicates
 * and stale ones of ours. Running it twice changes nothing the second time.
 */
@Injectable()
export class WebhookSubscriptionService {
  private readonly logger = new Logger(WebhookSubscriptionService.name);

  constructor(private readonly clients: ShopifyAdminClientFactory) {}

  /** Verifies the token by reading the shop, then syncs. Problems the admin can fix are 422s naming the config field. */
  async enable(installation: InstallationContext<ShopifyConfig>): Promise<Record<string, unknown>> {
    if (!installation.config.accessToken) throw invalidField('config.accessToken', 'config.accessToken is required: connect the store (OAuth install) or paste an Admin API access token');
    const client = this.clients.create(installation.config);
    const shop = await this.readShop(client, installation.config.shopDomain);
    const result = await this.sync(client, installation.webhookUrl);
    this.logger.log({ installationId: installation.id, created: result.created.length, updated: result.updated.length, deleted: result.deleted.length }, 'Shopify webhooks in sync');
    return {
      shop: { id: shop.id, name: shop.name, domain: shop.myshopifyDomain, timeZone: shop.ianaTimezone, currency: shop.currency },
      webhookAddress: installation.webhookUrl,
      webhooks: result.webhooks,
      lastSync: { created: result.created, updated: result.updated, deleted: result.deleted },
    };
  }

  /** Removes every subscription that points at this installation. Best effort: the caller keeps errors in the status. */
  async disable(installation: InstallationContext<ShopifyConfig>): Promise<Record<string, unknown>> {
    // Without a token (never connected, or uninstalled at the shop) there is nothing we could remove.
    if (!installation.config.accessToken) return { webhooks: {} };
    const client = this.clients.create(installation.config);
    const known = new Set(Object.values((installation.state.webhooks as Record<string, number> | undefined) ?? {}));
    const ours = (await client.listWebhooks()).filter((w) => w.address === installation.webhookUrl || known.has(w.id));
    for (const webhook of ours) await client.deleteWebhook(webhook.id);
    return { webhooks: {}, lastSync: { created: [], updated: [], deleted: ours.map((w) => w.topic) } };
  }

  async sync(client: ShopifyAdminClient, address: string): Promise<SubscriptionSyncResult> {
    const plan = planSubscriptions(await client.listWebhooks(), address);
    const webhooks: Record<string, number> = {};
    for (const w of plan.keep) webhooks[w.topic] = w.id;
    for (const { id, topic } of plan.update) webhooks[topic] = (await client.updateWebhookAddress(id, address)).id;
    for (const topic of plan.create) webhooks[topic] = (await client.createWebhook(topic, address)).id;
    for (const w of plan.delete) await client.deleteWebhook(w.id);
    return {
      created: plan.create,
      updated: plan.update.map((u) => u.topic),
      deleted: plan.delete.map((w) => w.topic),
      unchanged: plan.keep.map((w) => w.topic),
      webhooks,
    };
  }

  private async readShop(client: ShopifyAdminClient, shopDomain: string) {
    try {
      const shop = await client.shop();
      if (shop.myshopifyDomain && shop.myshopifyDomain.toLowerCase() !== shopDomain) {
        throw invalidField('config.accessToken', `the access token belongs to ${shop.myshopifyDomain}, not ${shopDomain}`, 'shopify_token_shop_mismatch');
      }
      return shop;
    } catch (error) {
      if (error instanceof ShopifyApiError && (error.status === 401 || error.status === 403)) {
        throw invalidField('config.accessToken', `Shopify refused the access token (HTTP ${error.status})`, 'shopify_token_refused');
      }
      if (error instanceof ShopifyApiError && error.status === 404) {
        throw invalidField('config.shopDomain', `Shopify knows no shop at ${shopDomain}`, 'shopify_shop_not_found');
      }
      throw error;
    }
  }
}

/**
 * Pure: what to do with the subscriptions a shop has. Per needed topic: keep one at our address
 * (JSON), else move an existing one of that topic to our address, else create one; any further
 * subscription of that topic is a duplicate, and a subscription at our address for a topic we no
 * longer need is stale: both are deleted. Subscriptions of other topics elsewhere are left alone.
 */
export function planSubscriptions(existing: WebhookSubscription[], address: string, topics: readonly string[] = SUBSCRIBED_TOPICS): SubscriptionPlan {
  const plan: SubscriptionPlan = { create: [], update: [], delete: [], keep: [] };
  for (const topic of topics) {
    const same = existing.filter((w) => w.topic === topic);
    const exact = same.find((w) => w.address === address && w.format === 'json');
    const chosen = exact ?? same[0];
    if (!chosen) plan.create.push(topic);
    else if (exact) plan.keep.push(exact);
    else plan.update.push({ id: chosen.id, topic });
    plan.delete.push(...same.filter((w) => w !== chosen));
  }
  plan.delete.push(...existing.filter((w) => w.address === address && !topics.includes(w.topic)));
  return plan;
}
