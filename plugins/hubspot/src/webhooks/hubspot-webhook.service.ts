import { Injectable, Logger } from '@nestjs/common';
import { PayloadError, PluginHost } from '@optline/plugin-sdk';
import type { CanonicalEvent, InstallationContext, PluginRequest } from '@optline/plugin-sdk';
import { HubspotConfigDto } from '../config/hubspot-config.dto';
import { mappingSettings } from '../config/hubspot-settings';
import { HubspotCrmService } from '../crm/hubspot-crm.service';
import { HubspotTokenService } from '../oauth/hubspot-token.service';
import { HubspotContactResolver } from './hubspot-contact-resolver.service';
import { buildEvents, EventPlan, HUBSPOT_SOURCE, planEvent } from './hubspot-event-plan';
import { parseDelivery } from './hubspot-webhook-event';
import { planWorkflowCall } from './hubspot-workflow-call';

/**
 * The verified bytes as JSON. Parsed here rather than taken from the hub's parse, so the events are
 * exactly what was signed whatever Content-Type HubSpot (or a workflow action) sent.
 */
function jsonBody(request: PluginRequest): unknown {
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('the body is not JSON', 'body');
  }
}

/**
 * Turns a verified HubSpot request into canonical events, synchronously (decision 0110): erasures
 * are applied through the PluginHost, contacts are read from the CRM within the webhook budget,
 * and the enriched events go back to the ingress, which stores them before answering 200. When
 * HubSpot cannot be read in time the error answers 503 and HubSpot delivers again later.
 */
@Injectable()
export class HubspotWebhookService {
  private readonly logger = new Logger(HubspotWebhookService.name);

  constructor(
    private readonly crm: HubspotCrmService,
    private readonly resolver: HubspotContactResolver,
    private readonly host: PluginHost,
    private readonly tokens: HubspotTokenService,
  ) {}

  async toEvents(request: PluginRequest, installation: InstallationContext<HubspotConfigDto>): Promise<CanonicalEvent[]> {
    const settings = mappingSettings(installation.config);
    const body = jsonBody(request);
    const plans: EventPlan[] =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? [planWorkflowCall(request, body as Record<string, unknown>, settings)]
        : parseDelivery(body).map((event) => planEvent(event, settings));

    const skipped = plans.filter((p) => p.kind === 'skip');
    const foreign = skipped.filter((p) => p.reason.startsWith('portal '));
    if (foreign.length > 0) {
      // The app's secret is shared by every portal that installed it: events of another portal
      // sent to this installation's URL are a misconfiguration the admin should see.
      await this.host.reportError(installation, 'portal', `${foreign.length} event(s) from another portal were ignored: ${foreign[0].reason}`);
    }
    await this.erase(installation, plans);

    const deadline = this.crm.deadline('webhook');
    const resolved = await this.tokens.withToken(installation, (token) => this.resolver.resolve(installation.workspaceId, token, settings.phoneProperties, plans, deadline));
    return buildEvents(plans, resolved.hints, resolved.associated);
  }

  /**
   * Contact deletion and GDPR deletion in HubSpot erase the person here too (personal data gone,
   * suppression kept). Erasure is idempotent, so a redelivery does no harm.
   */
  private async erase(installation: InstallationContext<HubspotConfigDto>, plans: EventPlan[]): Promise<void> {
    for (const plan of plans) {
      if (plan.kind !== 'erase') continue;
      const contact = await this.host.findContact(installation.workspaceId, { externalId: { source: HUBSPOT_SOURCE, id: plan.contactId } });
      if (!contact || contact.erasedAt) continue;
      await this.host.eraseContact(installation.workspaceId, contact.id, `plugin:hubspot:${plan.reason}`);
      this.logger.log({ installationId: installation.id, contactId: contact.id, reason: plan.reason }, 'contact erased after a HubSpot deletion');
    }
  }
}
