import { Injectable } from '@nestjs/common';
import { BatchCoalescer, BatchOutcome, settleEach } from '@optline/core';
import { InstallationRepository } from '../installations/installation.repository';
import { PluginInstallation } from '../installations/plugin-installation.entity';

/**
 * The installation a webhook URL names, looked up in the database for every request — never
 * cached, so a disable or a new secret applies to the very next delivery, in every hub process.
 * Lookups that start in the same turn of the event loop (concurrent webhooks) share one query.
 */
@Injectable()
export class IngressInstallations {
  private readonly lookups = new BatchCoalescer<string, PluginInstallation | null>((ids) => this.findAll(ids), { maxBatch: 500, maxWaitMs: 0 });

  constructor(private readonly installations: InstallationRepository) {}

  /** The installation with this id and plugin, with its sealed secrets; null when there is none. */
  async find(pluginId: string, id: string): Promise<PluginInstallation | null> {
    const row = await this.lookups.submit(id);
    return row && row.pluginId === pluginId ? row : null;
  }

  private async findAll(ids: string[]): Promise<BatchOutcome<PluginInstallation | null>[]> {
    let found: PluginInstallation[];
    try {
      found = await this.installations.findPublicMany(ids);
    } catch (error) {
      // One id the database refuses must not fail the requests it shared a query with.
      if (ids.length === 1) throw error;
      return settleEach(ids, async (id) => {
        const [outcome] = await this.findAll([id]);
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      });
    }
    const rows = new Map(found.map((row) => [row.id, row]));
    // Each caller gets its own copy: plugin calls receive `state` and must not see another request's changes.
    return ids.map((id) => {
      const row = rows.get(id);
      return { ok: true as const, value: row ? Object.assign(new PluginInstallation(), row, { state: structuredClone(row.state) }) : null };
    });
  }
}
