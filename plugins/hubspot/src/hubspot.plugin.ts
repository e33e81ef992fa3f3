import { Injectable } from '@nestjs/common';
import { Clock } from '@optline/core';
import type { CanonicalEvent, CanonicalEventType, ConsentWriteback, InstallationContext, LifecycleResult, OptlinePlugin, PluginRequest, VerifyResult } from '@optline/plugin-sdk';
import { HUBSPOT_MAPPABLE_EVENTS, HubspotConfigDto } from './config/hubspot-config.dto';
import { HubspotConnectionCheck } from './crm/hubspot-connection-check.service';
import { verifyHubspotRequest } from './signature/hubspot-request-verifier';
import { HubspotSubscriptionService } from './subscriptions/hubspot-subscriptions.service';
import { HubspotWebhookService } from './webhooks/hubspot-webhook.service';
import { HubspotConsentWriteback } from './writeback/hubspot-consent-writeback.service';

export const HUBSPOT_PLUGIN_ID = 'hubspot';

/**
 * HubSpot: contact creation, lifecycle-stage and deal-stage changes (webhook subscriptions and
 * workflow "send a webhook" calls) become canonical events; SMS opt-outs are written back to a
 * contact property. Stateless: everything per workspace comes in the installation.
 */
@Injectable()
export class HubspotPlugin implements OptlinePlugin<HubspotConfigDto> {
  readonly id = HUBSPOT_PLUGIN_ID;
  readonly name = 'HubSpot';
  readonly description = 'New contacts, lifecycle stages and deal stages in HubSpot start flows; SMS opt-outs are written back to a contact property.';
  readonly emits: readonly CanonicalEventType[] = HUBSPOT_MAPPABLE_EVENTS;
  readonly configClass = HubspotConfigDto;
  readonly consentSource = 'hubspot' as const;
  /** HubSpot sends at most 100 events of about 400 bytes; 256 KiB is ample. Bursts of a busy portal need more than the default rate. */
  readonly ingress = { maxBodyBytes: 256 * 1024, requestsPerMinute: 1200 };

  constructor(
    private readonly webhooks: HubspotWebhookService,
    private readonly writeback: HubspotConsentWriteback,
    private readonly connection: HubspotConnectionCheck,
    private readonly subscriptions: HubspotSubscriptionService,
    private readonly clock: Clock,
  ) {}

  verify(request: PluginRequest, installation: InstallationContext<HubspotConfigDto>): VerifyResult {
    const config = installation.config;
    return verifyHubspotRequest(request, { clientSecret: config.clientSecret, allowLegacySignatures: config.allowLegacySignatures === true }, this.clock.nowMs());
  }

  toEvents(request: PluginRequest, installation: InstallationContext<HubspotConfigDto>): Promise<CanonicalEvent[]> {
    return this.webhooks.toEvents(request, installation);
  }

  /**
   * Checks the token and the write-back property, then the app's webhook target URL and
   * subscriptions when the developer key allows setting them (HubSpot keeps them per app, not
   * per portal; decision 0252). Without it the admin sets them in HubSpot, as the console lists.
   */
  async onEnable(installation: InstallationContext<HubspotConfigDto>): Promise<LifecycleResult | void> {
    await this.connection.check(installation);
    if (!this.subscriptions.canManage(installation.config)) return;
    return { state: { subscriptions: await this.subscriptions.ensure(installation, this.clock.now()) } };
  }

  async onConsentChanged(change: ConsentWriteback, installation: InstallationContext<HubspotConfigDto>): Promise<void> {
    await this.writeback.write(change, installation);
  }
}
