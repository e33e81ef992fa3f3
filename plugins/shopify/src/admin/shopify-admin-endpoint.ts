import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@optline/core';

/** What `shopify-api-node` keeps in its public `baseUrl` and spreads into every request URL. */
export interface AdminBaseUrl {
  protocol: 'https:' | 'http:';
  hostname: string;
  port?: number;
}

/**
 * Where the Admin API of a shop lives. In production that is always `https://<shop>`; the one
 * seam lets tests (and a developer's local fake) point every client at another server, because
 * `shopify-api-node` has no base-URL option and builds `https://<shop>.myshopify.com` itself.
 */
@Injectable()
export class ShopifyAdminEndpoint {
  private override: AdminBaseUrl | null = null;

  constructor(@Optional() config?: AppConfig) {
    // SHOPIFY_ADMIN_URL: every shop's Admin API (and token endpoint) behind one proxy or a local fake.
    if (config?.SHOPIFY_ADMIN_URL) this.pointAt(config.SHOPIFY_ADMIN_URL);
  }

  baseUrlFor(shopDomain: string): AdminBaseUrl {
    return this.override ? { ...this.override } : { protocol: 'https:', hostname: shopDomain };
  }

  /** Sends every Admin API call to this server instead (e.g. `http://127.0.0.1:4010`); null restores production. */
  pointAt(url: string | null): void {
    if (url === null) {
      this.override = null;
      return;
    }
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported Admin API URL ${url}`);
    this.override = {
      protocol: parsed.protocol,
      hostname: parsed.hostname,
      ...(parsed.port && { port: Number(parsed.port) }),
    };
  }
}
