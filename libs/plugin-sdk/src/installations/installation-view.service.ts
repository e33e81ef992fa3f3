import { Injectable } from '@nestjs/common';
import { describeConfig } from '../contract/config-schema';
import type { OptlinePlugin } from '../contract/plugin';
import { TriggerEventRepository } from '../events/trigger-event.repository';
import { PluginRegistry } from '../registry/plugin-registry';
import { WritebackProblem, WritebackRepository } from '../writeback/writeback.repository';
import { InstallationConfigCodec } from './installation-config.codec';
import { InstallationDeliveries } from './installation-deliveries.service';
import { InstallationRepository } from './installation.repository';
import { PluginInstallation } from './plugin-installation.entity';

/** An installation as the API shows it: secrets masked, with its health. */
export interface InstallationView {
  id: string;
  pluginId: string;
  enabled: boolean;
  config: Record<string, unknown>;
  /** Where to point the remote system's webhooks; null for plugins without webhook ingress. */
  webhookUrl: string | null;
  requestsPerMinute: number | null;
  status: {
    enabledAt: Date | null;
    lastEventAt: Date | null;
    lastError: PluginInstallation['lastError'];
    counts: {
      received: number;
      duplicates: number;
      rejected: number;
      events: { received: number; processed: number; ignored: number; failed: number };
      writebacks: { pending: number; succeeded: number; failed: number; skipped: number };
    };
    /** The latest write-backs that failed at least once, newest first (retrying or given up). */
    writebackProblems: WritebackProblem[];
  };
  createdAt: Date;
  updatedAt: Date;
}

export interface PluginView {
  id: string;
  name: string;
  description: string;
  emits: readonly string[];
  configSchema: ReturnType<typeof describeConfig>;
  writesConsentBack: boolean;
  installation: InstallationView | null;
}

/** Builds catalogue and installation answers, with all counts and problems in three grouped queries. */
@Injectable()
export class InstallationViewService {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly installations: InstallationRepository,
    private readonly codec: InstallationConfigCodec,
    private readonly events: TriggerEventRepository,
    private readonly writebacks: WritebackRepository,
    private readonly deliveries: InstallationDeliveries,
  ) {}

  async catalogue(workspaceId: string): Promise<PluginView[]> {
    // Accepted deliveries are counted in memory first; write this process's before reading.
    await this.deliveries.flush();
    const known = new Set(this.registry.list().map((p) => p.id));
    const installed = (await this.installations.listForWorkspace(workspaceId)).filter((r) => known.has(r.pluginId));
    const views = await this.installationViews(workspaceId, installed);
    return this.registry.list().map((plugin) => this.pluginView(plugin, views.get(plugin.id) ?? null));
  }

  async plugin(workspaceId: string, pluginId: string): Promise<PluginView> {
    const plugin = this.registry.get(pluginId);
    await this.deliveries.flush();
    const row = await this.installations.findByPlugin(workspaceId, pluginId, true);
    const views = row ? await this.installationViews(workspaceId, [row]) : new Map<string, InstallationView>();
    return this.pluginView(plugin, views.get(pluginId) ?? null);
  }

  async installation(workspaceId: string, row: PluginInstallation): Promise<InstallationView> {
    return (await this.installationViews(workspaceId, [row])).get(row.pluginId)!;
  }

  private pluginView(plugin: OptlinePlugin<object>, installation: InstallationView | null): PluginView {
    return {
      id: plugin.id,
      name: plugin.name,
      description: plugin.description,
      emits: plugin.emits,
      configSchema: describeConfig(plugin.configClass),
      writesConsentBack: typeof plugin.onConsentChanged === 'function',
      installation,
    };
  }

  private async installationViews(workspaceId: string, rows: PluginInstallation[]): Promise<Map<string, InstallationView>> {
    const ids = rows.map((r) => r.id);
    const [eventCounts, writebackCounts, writebackProblems] = await Promise.all([
      this.events.countsByInstallation(workspaceId, ids),
      this.writebacks.countsByInstallation(workspaceId, ids),
      this.writebacks.recentProblems(workspaceId, ids),
    ]);
    const views = new Map<string, InstallationView>();
    for (const row of rows) {
      const plugin = this.registry.get(row.pluginId);
      const ev = eventCounts.get(row.id) ?? {};
      const wb = writebackCounts.get(row.id) ?? {};
      views.set(row.pluginId, {
        id: row.id,
        pluginId: row.pluginId,
        enabled: row.enabled,
        config: this.codec.mask(plugin, row),
        webhookUrl: plugin.ingress === false ? null : this.codec.webhookUrl(row.pluginId, row.id),
        requestsPerMinute: row.requestsPerMinute,
        status: {
          enabledAt: row.enabledAt,
          lastEventAt: row.lastEventAt,
          lastError: row.lastError,
          counts: {
            received: row.receivedCount,
            duplicates: row.duplicateCount,
            rejected: row.rejectedCount,
            events: { received: ev.received ?? 0, processed: ev.processed ?? 0, ignored: ev.ignored ?? 0, failed: ev.failed ?? 0 },
            writebacks: { pending: wb.pending ?? 0, succeeded: wb.succeeded ?? 0, failed: wb.failed ?? 0, skipped: wb.skipped ?? 0 },
          },
          writebackProblems: writebackProblems.get(row.id) ?? [],
        },
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      });
    }
    return views;
  }
}
