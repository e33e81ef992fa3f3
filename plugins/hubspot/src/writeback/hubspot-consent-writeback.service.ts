import { Injectable } from '@nestjs/common';
import { DomainError } from '@optline/core';
import { PluginHost } from '@optline/plugin-sdk';
import type { ConsentWriteback, InstallationContext } from '@optline/plugin-sdk';
import { HubspotConfigDto } from '../config/hubspot-config.dto';
import { describeHubspotError, HubspotUnavailableError, statusOf } from '../crm/hubspot-backoff';
import { HubspotCrmService } from '../crm/hubspot-crm.service';
import { HubspotTokenService } from '../oauth/hubspot-token.service';
import { HUBSPOT_SOURCE } from '../webhooks/hubspot-event-plan';

/** What the write-back did, for tests and logs. */
export type WritebackOutcome = { written: Record<string, string> } | { skipped: string };

/**
 * Mirrors SMS consent into the contact property the admin chose (HubSpot has no standard SMS
 * consent property; its Communication Preferences API does not cover our program).
 */
@Injectable()
export class HubspotConsentWriteback {
  constructor(
    private readonly crm: HubspotCrmService,
    private readonly host: PluginHost,
    private readonly tokens: HubspotTokenService,
  ) {}

  /**
   * PATCHes `optOutProperty` on the person's HubSpot contact. Throws to be retried (the SDK keeps
   * the attempts and shows the error in the installation's status); a contact HubSpot no longer has
   * is a not_found DomainError, which the SDK does not retry.
   */
  async write(change: ConsentWriteback, installation: InstallationContext<HubspotConfigDto>): Promise<WritebackOutcome> {
    const config = installation.config;
    if (!config.optOutProperty) return { skipped: 'no optOutProperty configured' };
    const mirrored = config.writebackMessageType ?? 'marketing';
    if (change.messageType !== mirrored) return { skipped: `the property mirrors ${mirrored} consent` };
    const hubspotId = change.externalIds[HUBSPOT_SOURCE];
    if (!hubspotId) return { skipped: 'the contact did not come from HubSpot' };

    // The current state, not the change's: a retried opt-out that runs after a later opt-in must
    // not overwrite it. Every write-back converges on what the ledger says now.
    const states = await this.host.consentStates(installation.workspaceId, [change.contactId]);
    const state = states.get(change.contactId)?.[mirrored] ?? change.state;
    const value = state === 'opted_out' ? (config.optedOutValue ?? 'true') : state === 'opted_in' ? (config.optedInValue ?? 'false') : null;
    if (value === null) return { skipped: `state ${state} is not written` };

    const properties = { [config.optOutProperty]: value };
    try {
      const deadline = this.crm.deadline('job');
      await this.tokens.withToken(installation, (token) => this.crm.updateContact(token, hubspotId, properties, deadline));
    } catch (error) {
      if (statusOf(error) === 404) throw new DomainError('not_found', 'hubspot_contact_not_found', `HubSpot has no contact ${hubspotId} any more`);
      if (error instanceof HubspotUnavailableError) throw error;
      throw new Error(`writing ${config.optOutProperty} on HubSpot contact ${hubspotId}: ${describeHubspotError(error)}`);
    }
    return { written: properties };
  }
}
