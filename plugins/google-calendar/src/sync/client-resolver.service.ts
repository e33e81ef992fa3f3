import { Injectable } from '@nestjs/common';
import { DomainError } from '@optline/core';
import { CanonicalContactHint, InstallationContext, PluginHost } from '@optline/plugin-sdk';
import { GOOGLE_CALENDAR_PLUGIN_ID, GoogleCalendarConfig } from '../config/google-calendar.config';
import { explicitTimeZone, SeenEvent, splitDisplayName } from './calendar-event.mapper';
import { normalizeWrittenPhone, phoneInDescription } from './phone-extraction';

/** The client of an appointment: the contact it was announced for, and the hint the event carries. */
export interface ResolvedClient {
  contactId: string;
  hint: CanonicalContactHint;
}

/**
 * Finds who an appointment is for, through the configured phone sources in order, and makes
 * sure they are a contact (so later moves and cancellations, which Google reports without any
 * guest details, still reach the same person). Attendee emails are linked to the contact as its
 * `google-calendar` external id, so the next booking with only that email finds them.
 */
@Injectable()
export class ClientResolver {
  constructor(private readonly host: PluginHost) {}

  async resolve(installation: InstallationContext<GoogleCalendarConfig>, event: SeenEvent, defaultCountry: string): Promise<ResolvedClient | null> {
    const phone = await this.findPhone(installation, event, defaultCountry);
    if (!phone) return null;
    const names = splitDisplayName(event.attendee?.displayName ?? null);
    const timeZone = explicitTimeZone(event, installation.config.timeZoneProperty);
    const hint: CanonicalContactHint = {
      phone,
      ...(event.attendee && { email: event.attendee.email, externalId: { source: GOOGLE_CALENDAR_PLUGIN_ID, id: event.attendee.email } }),
      ...(names.firstName && { firstName: names.firstName }),
      ...(names.lastName && { lastName: names.lastName }),
      ...(timeZone && { timeZone }),
    };
    try {
      const { contact } = await this.host.upsertContact(installation.workspaceId, {
        phone,
        ...(hint.email && { email: hint.email, externalIds: { [GOOGLE_CALENDAR_PLUGIN_ID]: hint.email } }),
        ...(hint.firstName && { firstName: hint.firstName }),
        ...(hint.lastName && { lastName: hint.lastName }),
        ...(timeZone && { timeZone }),
      });
      return { contactId: contact.id, hint };
    } catch (error) {
      // A value the contacts library refuses (a phone it reads differently, an email it rejects)
      // must not block the calendar's sync forever: the event is treated as naming nobody.
      if (error instanceof DomainError && (error.kind === 'unprocessable' || error.kind === 'invalid' || error.kind === 'conflict')) return null;
      throw error;
    }
  }

  /** The hint for an appointment already announced for `contactId`; null when the contact is gone or erased. */
  async known(workspaceId: string, contactId: string | null): Promise<ResolvedClient | null> {
    if (!contactId) return null;
    const contact = await this.host.findContact(workspaceId, { id: contactId });
    if (!contact?.phone) return null;
    return { contactId: contact.id, hint: { phone: contact.phone, ...(contact.timeZone && { timeZone: contact.timeZone }) } };
  }

  private async findPhone(installation: InstallationContext<GoogleCalendarConfig>, event: SeenEvent, country: string): Promise<string | null> {
    const config = installation.config;
    for (const source of config.phoneSources) {
      if (source === 'extended_property') {
        const phone = normalizeWrittenPhone(event.privateProperties[config.phoneProperty], country);
        if (phone) return phone;
      } else if (source === 'description') {
        const phone = phoneInDescription(event.description, country);
        if (phone) return phone;
      } else if (source === 'attendee_email' && event.attendee) {
        const contact = await this.host.findContact(installation.workspaceId, { externalId: { source: GOOGLE_CALENDAR_PLUGIN_ID, id: event.attendee.email } });
        if (contact?.phone) return contact.phone;
      }
    }
    return null;
  }
}
