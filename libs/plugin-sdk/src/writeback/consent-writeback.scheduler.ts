import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEventBus, DomainEventMap, JobQueue } from '@optline/core';
import { InstallationRepository } from '../installations/installation.repository';
import { PluginRegistry } from '../registry/plugin-registry';
import { WritebackRepository } from './writeback.repository';

/**
 * Listens to 'consent.changed' and queues a write-back for every enabled installation whose
 * plugin implements `onConsentChanged`, except the one the change came from (no echo). The
 * write-back row is stored before the job, so a lost job is visible as 'pending'.
 */
@Injectable()
export class ConsentWritebackScheduler implements OnModuleInit {
  constructor(
    private readonly bus: DomainEventBus,
    private readonly registry: PluginRegistry,
    private readonly installations: InstallationRepository,
    private readonly writebacks: WritebackRepository,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('consent.changed', async (change) => {
      await this.schedule(change);
    });
  }

  async schedule(change: DomainEventMap['consent.changed']): Promise<number> {
    const pluginIds = this.registry
      .writebackPluginIds()
      .filter((id) => this.registry.get(id).consentSource !== change.source);
    if (pluginIds.length === 0) return 0;
    const targets = await this.installations.enabledOf(change.workspaceId, pluginIds);
    if (targets.length === 0) return 0;
    const created = await this.writebacks.insertNew(
      targets.map((installation) => ({
        workspaceId: change.workspaceId,
        installationId: installation.id,
        consentEventId: change.consentEventId,
        contactId: change.contactId,
        messageType: change.messageType,
        state: change.state,
        source: change.source,
        status: 'pending' as const,
        attempts: 0,
      })),
    );
    await this.jobs.enqueueMany(
      'plugin.consent-writeback',
      created.map((w) => ({ workspaceId: change.workspaceId, installationId: w.installationId, consentEventId: w.consentEventId })),
    );
    return created.length;
  }
}
