import { Injectable } from '@nestjs/common';
import { Contact, ContactService, UpsertContactInput } from '@optline/contacts';
import { ConsentChange, ConsentMessageType, ConsentService, ConsentState, DisclosureService } from '@optline/consent';
import { WorkspaceService } from '@optline/core';
import type { CanonicalEvent } from '../contract/canonical-events';
import type { InstallationContext } from '../contract/plugin';
import { ContactLookup, EmitResult, HostDisclosure, HostWorkspace, PluginHost, RateLimitVerdict } from '../contract/plugin-host';
import { RateLimiter } from '../ingress/rate-limiter.service';
import { HubFlows, TemplateFlowStatus } from './hub-flows';
import { InstallationAccess } from './installation-access.service';
import { InstallationService } from '../installations/installation.service';
import { PhoneConsentLookups } from './phone-consent-lookups';
import { scrubEvents } from '../events/trigger-event-erasure.hook';
import { DataSource } from 'typeorm';

/** The PluginHost plugins receive: a thin door onto contacts, consent, disclosures and installations. */
@Injectable()
export class PluginHostService extends PluginHost {
  private readonly phoneConsent: PhoneConsentLookups;

  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly contacts: ContactService,
    private readonly consent: ConsentService,
    private readonly disclosures: DisclosureService,
    private readonly installations: InstallationAccess,
    private readonly limiter: RateLimiter,
    private readonly dataSource: DataSource,
    private readonly flows: HubFlows,
    private readonly lifecycle: InstallationService,
  ) {
    super();
    this.phoneConsent = new PhoneConsentLookups(contacts, consent);
  }

  async workspace(workspaceId: string): Promise<HostWorkspace> {
    const w = await this.workspaces.get(workspaceId);
    return {
      id: w.id,
      name: w.name,
      brandName: w.brandName,
      supportEmail: w.supportEmail,
      supportPhone: w.supportPhone,
      supportUrl: w.supportUrl,
      defaultCountry: w.defaultCountry,
      timeZone: w.timeZone,
    };
  }

  normalizePhone(workspaceId: string, raw: string): Promise<string | null> {
    return this.contacts.normalize(workspaceId, raw);
  }

  async findContact(workspaceId: string, by: ContactLookup): Promise<Contact | null> {
    if ('id' in by) return (await this.contacts.getMany(workspaceId, [by.id]))[0] ?? null;
    if ('phone' in by) return this.contacts.findByPhone(workspaceId, by.phone);
    return this.contacts.findByExternalId(workspaceId, by.externalId.source, by.externalId.id);
  }

  upsertContact(workspaceId: string, input: UpsertContactInput): Promise<{ contact: Contact; created: boolean }> {
    return this.contacts.upsertByPhone(workspaceId, input);
  }

  eraseContact(workspaceId: string, contactId: string, actor: string): Promise<void> {
    return this.contacts.erase(workspaceId, contactId, actor);
  }

  scrubInstallationEvents(installation: InstallationContext<object>): Promise<number> {
    return scrubEvents(this.dataSource.manager, 'installation_id = :installationId', { workspaceId: installation.workspaceId, installationId: installation.id });
  }

  ensureTemplateFlow(workspaceId: string, templateKey: string): Promise<TemplateFlowStatus> {
    return this.flows.ensureTemplateFlow(workspaceId, templateKey);
  }

  activeOptInFlowFor(workspaceId: string, eventType: string): Promise<string | null> {
    return this.flows.activeOptInFlowFor(workspaceId, eventType);
  }

  async recordConsent(workspaceId: string, change: ConsentChange): Promise<void> {
    await this.consent.record(workspaceId, change);
  }

  consentStates(workspaceId: string, contactIds: string[]): Promise<Map<string, Record<ConsentMessageType, ConsentState>>> {
    return this.consent.statesFor(workspaceId, contactIds);
  }

  consentStatesOfPhone(workspaceId: string, phone: string): Promise<Record<ConsentMessageType, ConsentState> | null> {
    return this.phoneConsent.find(workspaceId, phone);
  }

  async currentDisclosure(workspaceId: string): Promise<HostDisclosure | null> {
    const d = await this.disclosures.current(workspaceId);
    return d ? { id: d.id, version: d.version, text: d.text } : null;
  }

  async disclosure(workspaceId: string, disclosureId: string): Promise<HostDisclosure> {
    const d = await this.disclosures.get(workspaceId, disclosureId);
    return { id: d.id, version: d.version, text: d.text };
  }

  async createDisclosure(workspaceId: string, text: string): Promise<HostDisclosure> {
    const d = await this.disclosures.create(workspaceId, text);
    return { id: d.id, version: d.version, text: d.text };
  }

  emit(installation: InstallationContext<object>, events: CanonicalEvent[]): Promise<EmitResult> {
    return this.installations.emit(installation, events);
  }

  installation<TConfig extends object>(pluginId: string, installationId: string): Promise<InstallationContext<TConfig> | null> {
    return this.installations.find<TConfig>(pluginId, installationId);
  }

  workspaceInstallation<TConfig extends object>(workspaceId: string, pluginId: string): Promise<InstallationContext<TConfig> | null> {
    return this.installations.findInWorkspace<TConfig>(workspaceId, pluginId);
  }

  updateState(installation: InstallationContext<object>, patch: Record<string, unknown>): Promise<void> {
    return this.installations.updateState(installation, patch);
  }

  rateLimit(bucket: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict> {
    return this.limiter.hit(`plugin:${bucket}`, limit, windowSeconds);
  }

  async connectInstallation(installation: InstallationContext<object>, patch: Record<string, unknown>): Promise<void> {
    await this.lifecycle.connect(installation.workspaceId, installation.pluginId, patch);
  }

  disconnectInstallation(installation: InstallationContext<object>, patch: Record<string, unknown>, reason: string | null): Promise<void> {
    return this.lifecycle.disconnect(installation.workspaceId, installation.pluginId, patch, reason);
  }

  reportError(installation: InstallationContext<object>, source: string, message: string): Promise<void> {
    return this.installations.reportError(installation, source, message);
  }
}
