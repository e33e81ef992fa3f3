import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { KeyedMemo } from '@optline/core';
import { In, Repository } from 'typeorm';
import { InstallationError, PluginInstallation } from './plugin-installation.entity';

/** The queries on plugin_installation. Every method is scoped by workspace, except the ingress lookup by id. */
@Injectable()
export class InstallationRepository {
  /** Enabled write-back targets, asked for every consent change: remembered for a second, forgotten on every write here (docs/decisions/0009). */
  private readonly enabled = new KeyedMemo<PluginInstallation[]>(1_000);

  constructor(@InjectRepository(PluginInstallation) private readonly rows: Repository<PluginInstallation>) {}

  /** Every installation of the workspace, with sealed secrets (answers mask them). */
  listForWorkspace(workspaceId: string): Promise<PluginInstallation[]> {
    return this.withSecrets().where({ workspaceId }).orderBy('installation.plugin_id', 'ASC').getMany();
  }

  /** The workspace's installation of a plugin, with its sealed secrets when asked. */
  findByPlugin(workspaceId: string, pluginId: string, withSecrets = false): Promise<PluginInstallation | null> {
    return withSecrets ? this.withSecrets().where({ workspaceId, pluginId }).getOne() : this.rows.findOne({ where: { workspaceId, pluginId } });
  }

  findById(workspaceId: string, id: string, withSecrets = false): Promise<PluginInstallation | null> {
    return withSecrets ? this.withSecrets().where({ workspaceId, id }).getOne() : this.rows.findOne({ where: { workspaceId, id } });
  }

  /**
   * The installation a public URL names (`/hooks/:pluginId/:installationId`, a hosted form). The
   * unguessable id is the credential that selects the workspace; the plugin must match too.
   */
  findPublic(pluginId: string, id: string): Promise<PluginInstallation | null> {
    return this.withSecrets().where({ id, pluginId }).getOne();
  }

  /**
   * Several public lookups in one query (the webhooks in flight at once): the rows with these
   * ids, with sealed secrets. Callers match the plugin id themselves, as `findPublic` does.
   */
  findPublicMany(ids: string[]): Promise<PluginInstallation[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.withSecrets().where({ id: In([...new Set(ids)]) }).getMany();
  }

  /** Enabled installations of these plugins in one workspace. */
  enabledOf(workspaceId: string, pluginIds: string[]): Promise<PluginInstallation[]> {
    if (pluginIds.length === 0) return Promise.resolve([]);
    return this.enabled.get(`${workspaceId}:${[...pluginIds].sort().join(',')}`, () => this.rows.find({ where: { workspaceId, enabled: true, pluginId: In(pluginIds) } }));
  }

  async save(row: PluginInstallation): Promise<PluginInstallation> {
    const saved = await this.rows.save(row);
    this.enabled.clear();
    return saved;
  }

  create(fields: Partial<PluginInstallation>): PluginInstallation {
    return this.rows.create(fields);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.rows.delete({ workspaceId, id });
    this.enabled.clear();
  }

  async setEnabled(workspaceId: string, id: string, enabled: boolean, at: Date): Promise<void> {
    await this.rows.update({ workspaceId, id }, enabled ? { enabled, enabledAt: at } : { enabled });
    this.enabled.clear();
  }

  /** Merges a patch into `state` in the database, so concurrent patches of other keys are not lost. */
  async mergeState(workspaceId: string, id: string, patch: Record<string, unknown>): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({ state: () => `"state" || :patch::jsonb` })
      .setParameter('patch', JSON.stringify(patch))
      .where({ workspaceId, id })
      .execute();
  }

  /** Counts one accepted delivery in the same statement that moves `last_event_at`. */
  async recordDelivery(workspaceId: string, id: string, at: Date, stored: number, duplicates: number): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({
        lastEventAt: at,
        receivedCount: () => `"received_count" + ${Math.trunc(stored)}`,
        duplicateCount: () => `"duplicate_count" + ${Math.trunc(duplicates)}`,
      })
      .where({ workspaceId, id })
      .execute();
  }

  /**
   * Adds many installations' accepted deliveries in one statement (the coalesced counts of the
   * last second). `last_event_at` only moves forward, whatever order the flushes land in.
   */
  async addDeliveries(deltas: { workspaceId: string; id: string; lastAt: Date; stored: number; duplicates: number }[]): Promise<void> {
    if (deltas.length === 0) return;
    await this.rows.manager.query(
      `UPDATE plugin_installation i
          SET received_count = i.received_count + d.stored,
              duplicate_count = i.duplicate_count + d.duplicates,
              last_event_at = GREATEST(i.last_event_at, d.last_at),
              updated_at = CURRENT_TIMESTAMP
         FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::int[]) AS d(workspace_id, id, last_at, stored, duplicates)
        WHERE i.workspace_id = d.workspace_id AND i.id = d.id`,
      [deltas.map((d) => d.workspaceId), deltas.map((d) => d.id), deltas.map((d) => d.lastAt), deltas.map((d) => Math.trunc(d.stored)), deltas.map((d) => Math.trunc(d.duplicates))],
    );
  }

  /** Keeps the error for the installation's status; `rejected` also counts a refused delivery. */
  async recordError(workspaceId: string, id: string, error: InstallationError, rejected: boolean): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({ lastError: error, ...(rejected && { rejectedCount: () => '"rejected_count" + 1' }) })
      .where({ workspaceId, id })
      .execute();
  }

  private withSecrets() {
    return this.rows.createQueryBuilder('installation').addSelect('installation.secrets');
  }
}
