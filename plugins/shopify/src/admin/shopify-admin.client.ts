import { DomainError } from '@optline/core';
import type Shopify from 'shopify-api-node';

/** The shop, as `GET /admin/api/<version>/shop.json` answers (the fields we use). */
export interface ShopInfo {
  id: string;
  name: string;
  myshopifyDomain: string;
  ianaTimezone: string | null;
  currency: string | null;
}

export interface WebhookSubscription {
  id: number;
  topic: string;
  address: string;
  format: string;
}

/** An Admin API answer with an HTTP status (401 bad token, 404 unknown shop or object, 429/5xx transient). */
export class ShopifyApiError extends Error {
  override name = 'ShopifyApiError';

  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }

  get transient(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

const SMS_CONSENT_MUTATION = `mutation optlineSmsOptOut($input: CustomerSmsMarketingConsentUpdateInput!) {
  customerSmsMarketingConsentUpdate(input: $input) {
    customer { id smsMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } }
    userErrors { field message code }
  }
}`;

interface ConsentMutationAnswer {
  customerSmsMarketingConsentUpdate?: {
    customer: { id: string; smsMarketingConsent: { marketingState: string } | null } | null;
    userErrors: { field: string[] | null; message: string; code?: string | null }[];
  } | null;
}

/**
 * The Admin API calls the plugin makes, over `shopify-api-node`. Library errors become
 * `ShopifyApiError` with the HTTP status, so callers decide what an admin or a retry should see.
 */
export class ShopifyAdminClient {
  constructor(private readonly shopify: Shopify) {}

  async shop(): Promise<ShopInfo> {
    const shop = await this.call(() => this.shopify.shop.get());
    return {
      id: String(shop.id),
      name: shop.name,
      myshopifyDomain: shop.myshopify_domain,
      ianaTimezone: shop.iana_timezone ?? null,
      currency: shop.currency ?? null,
    };
  }

  /** Every webhook subscription of this app at the shop (an app has far fewer than one page of 250). */
  async listWebhooks(): Promise<WebhookSubscription[]> {
    const list = await this.call(() => this.shopify.webhook.list({ limit: 250 }));
    return list.map((w) => ({ id: w.id, topic: w.topic, address: w.address, format: w.format }));
  }

  async createWebhook(topic: string, address: string): Promise<WebhookSubscription> {
    const w = await this.call(() => this.shopify.webhook.create({ topic: topic as Shopify.WebhookTopic, address, format: 'json' }));
    return { id: w.id, topic: w.topic, address: w.address, format: w.format };
  }

  async updateWebhookAddress(id: number, address: string): Promise<WebhookSubscription> {
    // Shopify's update takes only what changes; the typings ask for the (unchangeable) topic too.
    const w = await this.call(() => this.shopify.webhook.update(id, { address, format: 'json' } as Shopify.IUpdateWebhook));
    return { id: w.id, topic: w.topic, address: w.address, format: w.format };
  }

  async deleteWebhook(id: number): Promise<void> {
    try {
      await this.call(() => this.shopify.webhook.delete(id));
    } catch (error) {
      // Already gone is what we wanted.
      if (!(error instanceof ShopifyApiError && error.status === 404)) throw error;
    }
  }

  /**
   * Sets the customer's SMS marketing consent to UNSUBSCRIBED with the GraphQL
   * `customerSmsMarketingConsentUpdate` mutation (the REST customer endpoint is legacy; see
   * decision 0104). A customer Shopify does not know is a permanent failure (404).
   */
  async unsubscribeSmsMarketing(customerId: string): Promise<{ marketingState: string | null }> {
    const answer = (await this.call(() =>
      this.shopify.graphql(SMS_CONSENT_MUTATION, {
        input: { customerId: `gid://shopify/Customer/${customerId}`, smsMarketingConsent: { marketingState: 'UNSUBSCRIBED' } },
      }),
    )) as ConsentMutationAnswer;
    const result = answer.customerSmsMarketingConsentUpdate;
    if (!result) throw new ShopifyApiError('Shopify answered without a customerSmsMarketingConsentUpdate result', null);
    if (result.userErrors.length > 0) {
      const message = result.userErrors.map((e) => `${(e.field ?? []).join('.') || 'input'}: ${e.message}`).join('; ');
      const missing = !result.customer && result.userErrors.some((e) => /not (exist|found)/i.test(e.message));
      throw new ShopifyApiError(`Shopify refused the SMS consent update: ${message}`, missing ? 404 : 422);
    }
    return { marketingState: result.customer?.smsMarketingConsent?.marketingState ?? null };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toApiError(error);
    }
  }
}

/** got's HTTPError carries `response.statusCode`; network errors carry a `code` and no response. */
function toApiError(error: unknown): Error {
  if (error instanceof ShopifyApiError || error instanceof DomainError) return error;
  const e = error as { message?: string; response?: { statusCode?: number; body?: unknown } };
  const status = typeof e.response?.statusCode === 'number' ? e.response.statusCode : null;
  const body = e.response?.body as { errors?: unknown } | undefined;
  const detail = body?.errors === undefined ? '' : `: ${typeof body.errors === 'string' ? body.errors : JSON.stringify(body.errors)}`;
  return new ShopifyApiError(`${e.message ?? 'Shopify Admin API call failed'}${detail}`, status);
}
