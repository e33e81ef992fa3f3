import { Injectable } from '@nestjs/common';
import { CanonicalEvent, InstallationContext, PayloadError, PluginHost, PluginRequest } from '@optline/plugin-sdk';
import { createHash } from 'node:crypto';
import type { ShopifyConfig } from '../config/shopify-config.dto';
import { ShopifyPrivacyService } from '../privacy/shopify-privacy.service';
import { ChosenPhone, completeDraft, DraftEvent, mapShopifyTopic, MappingContext, PhoneCandidate } from './shopify-event-mapper';
import { parseShopifyJson } from './shopify-json';

/**
 * `toEvents` for Shopify: reads the delivery's headers and body, maps the topic, picks each
 * event's SMS phone with the hub's phone rules, and carries out the privacy topics.
 */
@Injectable()
export class ShopifyEventTranslator {
  constructor(
    private readonly host: PluginHost,
    private readonly privacy: ShopifyPrivacyService,
  ) {}

  async toEvents(request: PluginRequest, installation: InstallationContext<ShopifyConfig>): Promise<CanonicalEvent[]> {
    const ctx = this.contextOf(request, installation.config);
    if (ctx.topic === 'app/uninstalled') {
      // Shopify already revoked the token: discard it and stop taking deliveries until a reinstall (decision 0250).
      await this.host.updateState(installation, { webhooks: {}, uninstalledAt: request.receivedAt.toISOString() });
      await this.host.disconnectInstallation(installation, { accessToken: null }, 'The app was uninstalled from the shop; reinstall it (Connect) to resume');
      return [];
    }
    const mapping = mapShopifyTopic(this.parse(request.rawBody), ctx);
    const privacyCtx = { installation, webhookId: ctx.webhookId, receivedAt: request.receivedAt };
    switch (mapping.kind) {
      case 'ignored':
        return [];
      case 'privacy':
        await this.privacy.handle(mapping.topic, mapping.payload, privacyCtx);
        return [];
      case 'redact':
        await this.privacy.eraseRedactedCustomer(mapping.customerId, mapping.phone, ctx.topic, privacyCtx);
        return [completeDraft(mapping.draft, { phone: null, source: null })];
      case 'events':
        return Promise.all(
          mapping.drafts.map(async (draft) => this.withoutRepeatedConsent(installation.workspaceId, completeDraft(draft, await this.choosePhone(installation.workspaceId, draft)))),
        );
    }
  }

  /**
   * Shopify repeats a customer's consent on every customer and checkout update. A statement that
   * would not change the person's state is dropped (the event says so in `consentUnchanged`), so
   * the ledger holds acts, not echoes. A different state always goes through: the ledger orders
   * acts by their time, so a late old statement cannot override a newer one.
   */
  private async withoutRepeatedConsent(workspaceId: string, event: CanonicalEvent): Promise<CanonicalEvent> {
    const phone = event.contact?.phone;
    if (!event.consent || !phone) return event;
    // Shared with the other webhooks in flight: under a burst this was most of ingest's queries.
    const current = await this.host.consentStatesOfPhone(workspaceId, phone);
    const hint = event.consent;
    if (!current || !hint.types.every((type) => current[type] === hint.state)) return event;
    const { consent: _repeated, ...rest } = event;
    return { ...rest, data: { ...rest.data, consentUnchanged: hint.state } };
  }

  /** docs/shopify.md: `sms_marketing_phone`, then `phone`, then the customer's, then the shipping address's; the first that is a number wins. */
  private async choosePhone(workspaceId: string, draft: DraftEvent): Promise<ChosenPhone> {
    const candidates: PhoneCandidate[] = draft.phoneCandidates;
    for (const candidate of candidates) {
      const e164 = await this.host.normalizePhone(workspaceId, candidate.value);
      if (e164) return { phone: e164, source: candidate.source };
    }
    return { phone: candidates[0]?.value ?? null, source: null };
  }

  private contextOf(request: PluginRequest, config: ShopifyConfig): MappingContext {
    const topic = header(request, 'x-shopify-topic');
    if (!topic) throw new PayloadError('the X-Shopify-Topic header is required', 'X-Shopify-Topic');
    // Shopify keeps the webhook id across retries; without it, the same bytes are the same delivery.
    const webhookId = header(request, 'x-shopify-webhook-id') ?? `sha256:${createHash('sha256').update(topic).update('\n').update(request.rawBody).digest('hex')}`;
    const triggered = header(request, 'x-shopify-triggered-at');
    const triggeredAt = triggered && !Number.isNaN(Date.parse(triggered)) ? new Date(triggered) : null;
    return { topic: topic.toLowerCase(), webhookId, shopDomain: config.shopDomain, triggeredAt, receivedAt: request.receivedAt, abandonmentWaitMinutes: config.abandonmentWaitMinutes };
  }

  private parse(rawBody: Buffer): unknown {
    try {
      return parseShopifyJson(rawBody.toString('utf8'));
    } catch {
      throw new PayloadError('the body is not valid JSON', 'body');
    }
  }
}

function header(request: PluginRequest, name: string): string | null {
  const value = request.headers[name]?.trim();
  return value ? value : null;
}
