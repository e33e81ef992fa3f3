import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError } from '@optline/core';
import type { LifecycleResult, OptlinePlugin } from '../contract/plugin';
import { PluginRegistry } from '../registry/plugin-registry';
import { InstallationConfigCodec } from './installation-config.codec';
import { InstallationRepository } from './installation.repository';
import { PluginInstallation } from './plugin-installation.entity';

export interface InstallInput {
  config: Record<string, unknown>;
  requestsPerMinute?: number | null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Installs, reconfigures, enables, disables and removes a workspace's plugins, running the
 * plugin's lifecycle hooks at the right moments. One installation per plugin and workspace.
 */
@Injectable()
export class InstallationService {
  private readonly logger = new Logger(InstallationService.name);

  constructor(
    private readonly registry: PluginRegistry,
    private readonly installations: InstallationRepository,
    private readonly codec: InstallationConfigCodec,
    private readonly clock: Clock,
  ) {}

  /** The workspace's installation of a plugin (secrets loaded), or 404. */
  async get(workspaceId: string, pluginId: string): Promise<PluginInstallation> {
    this.registry.get(pluginId);
    const row = await this.installations.findByPlugin(workspaceId, pluginId, true);
    if (!row) throw new DomainError('not_found', 'installation_not_found', `The plugin "${pluginId}" is not installed in this workspace`);
    return row;
  }

  /**
   * Installs the plugin, or replaces the config of the existing installation. The config is
   * validated against the plugin's DTO (422 naming `config.<field>`). An enabled installation is
   * re-enabled with the new config so the remote side follows; if that fails it is disabled.
   */
  async install(workspaceId: string, pluginId: string, input: InstallInput): Promise<{ installation: PluginInstallation; created: boolean }> {
    const plugin = this.registry.get(pluginId);
    const existing = await this.installations.findByPlugin(workspaceId, pluginId, true);
    const encoded = this.codec.encode(plugin, input.config, existing);
    const row = existing ?? this.installations.create({ workspaceId, pluginId, enabled: false, state: {}, lastError: null });
    Object.assign(row, encoded);
    if (input.requestsPerMinute !== undefined) row.requestsPerMinute = input.requestsPerMinute;
    const saved = await this.installations.save(row);
    if (saved.enabled) {
      try {
        await this.runEnable(plugin, saved);
      } catch (error) {
        await this.installations.setEnabled(workspaceId, saved.id, false, this.clock.now());
        throw error;
      }
    }
    return { installation: await this.get(workspaceId, pluginId), created: !existing };
  }

  /** Enables the installation after the plugin's `onEnable` succeeded. Enabling twice is a no-op. */
  async enable(workspaceId: string, pluginId: string): Promise<PluginInstallation> {
    const plugin = this.registry.get(pluginId);
    const row = await this.get(workspaceId, pluginId);
    if (row.enabled) return row;
    await this.runEnable(plugin, row);
    await this.installations.setEnabled(workspaceId, row.id, true, this.clock.now());
    return this.get(workspaceId, pluginId);
  }

  /**
   * Disables first (webhooks are refused from this moment), then lets the plugin unregister at
   * the remote system; a failure there is kept in the status but does not undo the disable.
   */
  async disable(workspaceId: string, pluginId: string): Promise<PluginInstallation> {
    const plugin = this.registry.get(pluginId);
    const row = await this.get(workspaceId, pluginId);
    if (!row.enabled) return row;
    await this.installations.setEnabled(workspaceId, row.id, false, this.clock.now());
    row.enabled = false;
    await this.runDisable(plugin, row);
    return this.get(workspaceId, pluginId);
  }

  /** Disables (running `onDisable`) and deletes the installation with its config and secrets. Its events stay. */
  async remove(workspaceId: string, pluginId: string): Promise<void> {
    const plugin = this.registry.get(pluginId);
    const row = await this.get(workspaceId, pluginId);
    if (row.enabled) {
      await this.installations.setEnabled(workspaceId, row.id, false, this.clock.now());
      row.enabled = false;
      await this.runDisable(plugin, row);
    }
    await this.installations.delete(workspaceId, row.id);
  }

  /**
   * A plugin's own connect flow (e.g. an OAuth install) obtained new config values: merges them
   * into the stored config (secrets sealed as always) and enables, so `onEnable` runs again and
   * the remote side follows. A reinstall of a disabled installation lands here too.
   */
  async connect(workspaceId: string, pluginId: string, patch: Record<string, unknown>): Promise<PluginInstallation> {
    const plugin = this.registry.get(pluginId);
    const row = await this.get(workspaceId, pluginId);
    const config = { ...(this.codec.decode(plugin, row) as Record<string, unknown>), ...patch };
    await this.install(workspaceId, pluginId, { config });
    return this.enable(workspaceId, pluginId);
  }

  /**
   * The remote system dropped us (e.g. Shopify's `app/uninstalled`): disables without `onDisable`
   * (there is nothing left to unregister and the credentials no longer work) and stores the patch,
   * typically the discarded token.
   */
  async disconnect(workspaceId: string, pluginId: string, patch: Record<string, unknown>, reason: string | null): Promise<void> {
    const plugin = this.registry.get(pluginId);
    const row = await this.get(workspaceId, pluginId);
    await this.installations.setEnabled(workspaceId, row.id, false, this.clock.now());
    const config = { ...(this.codec.decode(plugin, row) as Record<string, unknown>), ...patch };
    // Secret fields set to null are dropped from the sealed part rather than kept (encode keeps only `undefined`/mask).
    // No reason: the admin disconnected on purpose, which is not an error to show. A reason is
    // written in the same save, so nobody reads a disconnected installation without it.
    const lastError = reason === null ? null : { source: 'remote', message: reason, at: this.clock.now().toISOString() };
    Object.assign(row, this.codec.encode(plugin, config, null), { enabled: false, lastError });
    await this.installations.save(row);
  }

  private async runEnable(plugin: OptlinePlugin<object>, row: PluginInstallation): Promise<void> {
    if (!plugin.onEnable) return;
    try {
      await this.applyResult(row, await plugin.onEnable(this.codec.context(plugin, row)));
    } catch (error) {
      await this.recordError(row, 'enable', messageOf(error));
      if (error instanceof DomainError) throw error;
      this.logger.warn({ err: error, pluginId: plugin.id, installationId: row.id }, 'plugin onEnable failed');
      throw new DomainError('unavailable', 'plugin_enable_failed', `${plugin.name} could not be enabled: ${messageOf(error)}`);
    }
  }

  private async runDisable(plugin: OptlinePlugin<object>, row: PluginInstallation): Promise<void> {
    if (!plugin.onDisable) return;
    try {
      await this.applyResult(row, await plugin.onDisable(this.codec.context(plugin, row)));
    } catch (error) {
      this.logger.warn({ err: error, pluginId: plugin.id, installationId: row.id }, 'plugin onDisable failed');
      await this.recordError(row, 'disable', messageOf(error));
    }
  }

  private async applyResult(row: PluginInstallation, result: LifecycleResult | void): Promise<void> {
    if (result?.state && Object.keys(result.state).length > 0) await this.installations.mergeState(row.workspaceId, row.id, result.state);
  }

  private recordError(row: PluginInstallation, source: string, message: string): Promise<void> {
    return this.installations.recordError(row.workspaceId, row.id, { source, message, at: this.clock.now().toISOString() }, false);
  }
}
