import { Injectable, Logger } from '@nestjs/common';
import { ContactService } from '@optline/contacts';
import { Clock, DomainError } from '@optline/core';
import { InstallationConfigCodec } from '../installations/installation-config.codec';
import { InstallationRepository } from '../installations/installation.repository';
import { PluginRegistry } from '../registry/plugin-registry';
import { PluginWriteback } from './plugin-writeback.entity';
import { WritebackRepository } from './writeback.repository';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs one write-back: calls the plugin's `onConsentChanged` with the contact's external ids.
 * A failure is kept on the row and in the installation's status, then thrown so Bull retries
 * with backoff; after the last attempt the row is 'failed'.
 */
@Injectable()
export class ConsentWritebackRunner {
  private readonly logger = new Logger(ConsentWritebackRunner.name);

  constructor(
    private readonly writebacks: WritebackRepository,
    private readonly installations: InstallationRepository,
    private readonly registry: PluginRegistry,
    private readonly codec: InstallationConfigCodec,
    private readonly contacts: ContactService,
    private readonly clock: Clock,
  ) {}

  async run(workspaceId: string, installationId: string, consentEventId: string, finalAttempt: boolean): Promise<PluginWriteback['status'] | null> {
    const writeback = await this.writebacks.find(workspaceId, installationId, consentEventId);
    if (!writeback || writeback.status !== 'pending') return writeback?.status ?? null;
    const installation = await this.installations.findById(workspaceId, installationId, true);
    const plugin = installation ? this.registry.find(installation.pluginId) : undefined;
    if (!installation || !installation.enabled || !plugin?.onConsentChanged) {
      await this.writebacks.update(workspaceId, writeback.id, { status: 'skipped', lastError: 'the installation is disabled or gone' });
      return 'skipped';
    }
    const attempts = writeback.attempts + 1;
    try {
      const contact = await this.contacts.get(workspaceId, writeback.contactId);
      await plugin.onConsentChanged(
        {
          consentEventId,
          contactId: contact.id,
          externalIds: contact.externalIds ?? {},
          phone: contact.phone,
          email: contact.email,
          messageType: writeback.messageType,
          state: writeback.state,
          source: writeback.source,
        },
        this.codec.context(plugin, installation),
      );
      // The last error stays on a write-back that succeeded after retries: the status timeline shows it.
      await this.writebacks.update(workspaceId, writeback.id, { status: 'succeeded', attempts });
      return 'succeeded';
    } catch (error) {
      const message = messageOf(error);
      const permanent = error instanceof DomainError && error.kind === 'not_found';
      const status = finalAttempt || permanent ? 'failed' : 'pending';
      await this.writebacks.update(workspaceId, writeback.id, { status, attempts, lastError: message });
      await this.installations.recordError(
        workspaceId,
        installationId,
        { source: 'writeback', message: `consent write-back ${status === 'failed' ? 'failed' : `attempt ${attempts} failed`}: ${message}`, at: this.clock.now().toISOString() },
        false,
      );
      this.logger.warn({ err: error, installationId, consentEventId, attempts }, 'consent write-back failed');
      if (permanent) return 'failed';
      throw error;
    }
  }
}
