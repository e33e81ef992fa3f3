import { Injectable } from '@nestjs/common';
import { DomainError, invalidField } from '@optline/core';
import type { InstallationContext } from '@optline/plugin-sdk';
import { HubspotConfigDto } from '../config/hubspot-config.dto';
import { describeHubspotError, HubspotUnavailableError, statusOf } from './hubspot-backoff';
import { HubspotCrmService } from './hubspot-crm.service';
import { HubspotTokenService } from '../oauth/hubspot-token.service';

/**
 * Checks an installation against HubSpot when it is enabled, so a wrong token or a missing
 * write-back property is an answer to the admin now, not a string of failed write-backs later.
 */
@Injectable()
export class HubspotConnectionCheck {
  constructor(
    private readonly crm: HubspotCrmService,
    private readonly tokens: HubspotTokenService,
  ) {}

  async check(installation: InstallationContext<HubspotConfigDto>): Promise<void> {
    const config = installation.config;
    if (!config.portalId) throw invalidField('config.portalId', 'Connect to HubSpot (it fills the portal in), or give the portal id with a private-app token');
    if (!config.refreshToken && !config.accessToken) throw invalidField('config.accessToken', 'Connect to HubSpot, or paste a private-app access token', 'hubspot_not_connected');
    const deadline = this.crm.deadline('webhook');
    try {
      if (!config.optOutProperty) {
        await this.tokens.withToken(installation, (token) => this.crm.checkContactsAccess(token, deadline));
        return;
      }
      const optOutProperty = config.optOutProperty;
      const property = await this.tokens.withToken(installation, (token) => this.crm.contactProperty(token, optOutProperty, deadline));
      if (!property) {
        throw invalidField('config.optOutProperty', `HubSpot has no contact property "${config.optOutProperty}": create it (a single checkbox works) or leave the field empty`);
      }
      // An enumeration or checkbox property refuses values outside its options, so each write would fail.
      for (const field of ['optedOutValue', 'optedInValue'] as const) {
        const value = config[field] ?? (field === 'optedOutValue' ? 'true' : 'false');
        if (property.options.length > 0 && !property.options.includes(value)) {
          throw invalidField(`config.${field}`, `"${value}" is not an option of ${property.name} (options: ${property.options.join(', ')})`);
        }
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const status = statusOf(error);
      if (status === 401 || status === 403) {
        throw invalidField('config.accessToken', `HubSpot refused the access token (${status}); it needs the crm.objects.contacts read/write and crm.schemas.contacts.read scopes`);
      }
      const reason = error instanceof HubspotUnavailableError ? error.message : describeHubspotError(error);
      throw new DomainError('unavailable', 'hubspot_unavailable', `HubSpot could not be checked now: ${reason}`);
    }
  }
}
