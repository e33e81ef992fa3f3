import { Injectable } from '@nestjs/common';
import Shopify from 'shopify-api-node';
import type { ShopifyConfig } from '../config/shopify-config.dto';
import { ShopifyAdminClient } from './shopify-admin.client';
import { ShopifyAdminEndpoint } from './shopify-admin-endpoint';

/** Calls must finish well inside a webhook's or a job's time budget. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Builds an Admin API client for one installation. A new client per call: plugins are stateless,
 * and the config (token, API version) is the installation's own.
 */
@Injectable()
export class ShopifyAdminClientFactory {
  constructor(private readonly endpoint: ShopifyAdminEndpoint) {}

  create(config: Pick<ShopifyConfig, 'shopDomain' | 'accessToken' | 'apiVersion'>): ShopifyAdminClient {
    // Retries belong to our jobs (backoff, visible status), not to a client that would hold a worker.
    const shopify = new Shopify({ shopName: config.shopDomain, accessToken: config.accessToken ?? '', apiVersion: config.apiVersion, timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
    // shopify-api-node has no base-URL option; its public `baseUrl` is spread into every request URL.
    (shopify as unknown as { baseUrl: object }).baseUrl = this.endpoint.baseUrlFor(config.shopDomain);
    return new ShopifyAdminClient(shopify);
  }
}
