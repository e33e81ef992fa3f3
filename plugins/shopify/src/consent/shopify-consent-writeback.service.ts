import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@optline/core';
import type { ConsentWriteback, InstallationContext } from '@optline/plugin-sdk';
import { ShopifyAdminClientFactory } from '../admin/shopify-admin-client.factory';
import { ShopifyApiError } from '../admin/shopify-admin.client';
import type { ShopifyConfig } from '../config/shopify-config.dto';

/** Why a write-back made no call; returned for tests and logs. */
export type WritebackDecision = 'sent' | 'sync_off' | 'not_an_opt_out' | 'not_marketing' | 'no_shopify_customer';

/**
 * Keeps Shopify's SMS marketing consent in step with Optline: an opt-out recorded here (STOP, the
 * preference page, an agent) sets the Shopify customer to UNSUBSCRIBED. Only opt-outs travel:
 * an opt-in needs the person's own act at the store, with its disclosure. Changes that came from
 * Shopify never come back here (the SDK skips the plugin's own consent source).
 */
@Injectable()
export class ShopifyConsentWritebackService {
  private readonly logger = new Logger(ShopifyConsentWritebackService.name);

  constructor(private readonly clients: ShopifyAdminClientFactory) {}

  /** Throws to have the SDK retry with backoff (and show the error in the installation's status). */
  async apply(change: ConsentWriteback, installation: InstallationContext<ShopifyConfig>): Promise<WritebackDecision> {
    const decision = decide(change, installation.config);
    if (decision !== 'sent') return decision;
    const customerId = change.externalIds.shopify;
    try {
      await this.clients.create(installation.config).unsubscribeSmsMarketing(customerId);
      this.logger.log({ installationId: installation.id, consentEventId: change.consentEventId }, 'SMS opt-out written back to Shopify');
      return 'sent';
    } catch (error) {
      if (error instanceof ShopifyApiError && error.status === 404) {
        // The customer is gone at the shop: retrying cannot help.
        throw new DomainError('not_found', 'shopify_customer_not_found', `Shopify customer ${customerId} does not exist: ${error.message}`);
      }
      throw error;
    }
  }
}

/** Pure: whether a ledger change is one Shopify must hear about. */
export function decide(change: Pick<ConsentWriteback, 'state' | 'messageType' | 'externalIds'>, config: Pick<ShopifyConfig, 'twoWayConsentSync'>): WritebackDecision {
  if (!config.twoWayConsentSync) return 'sync_off';
  if (change.state !== 'opted_out') return 'not_an_opt_out';
  // Shopify holds SMS *marketing* consent only; a STOP lands here once per message type.
  if (change.messageType !== 'marketing') return 'not_marketing';
  if (!change.externalIds?.shopify) return 'no_shopify_customer';
  return 'sent';
}
