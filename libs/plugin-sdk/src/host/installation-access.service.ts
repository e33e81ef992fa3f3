import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ValidationFailedError } from '@optline/core';
import type { CanonicalEvent } from '../contract/canonical-events';
import type { EmitResult } from '../contract/plugin-host';
import type { InstallationContext } from '../contract/plugin';
import { checkCanonicalEvents } from '../events/canonical-event.validation';
import { TriggerEventStore } from '../events/trigger-event-store.service';
import { InstallationConfigCodec } from '../installations/installation-config.codec';
import { InstallationRepository } from '../installations/installation.repository';
import { isNulRejection, NUL_MESSAGE, nulFieldIn } from '../ingress/nul-characters';
import { PluginRegistry } from '../registry/plugin-registry';

/** The installation side of the PluginHost: lookups, state, errors and emitting events. */
@Injectable()
export class InstallationAccess {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly installations: InstallationRepository,
    private readonly codec: InstallationConfigCodec,
    private readonly store: TriggerEventStore,
    private readonly clock: Clock,
  ) {}

  async find<T extends object>(pluginId: string, installationId: string): Promise<InstallationContext<T> | null> {
    const plugin = this.registry.find(pluginId);
    if (!plugin) return null;
    const row = await this.installations.findPublic(pluginId, installationId);
    return row ? (this.codec.context(plugin, row) as unknown as InstallationContext<T>) : null;
  }

  async findInWorkspace<T extends object>(workspaceId: string, pluginId: string): Promise<InstallationContext<T> | null> {
    const plugin = this.registry.find(pluginId);
    const row = plugin ? await this.installations.findByPlugin(workspaceId, pluginId, true) : null;
    return plugin && row ? (this.codec.context(plugin, row) as unknown as InstallationContext<T>) : null;
  }

  async emit(installation: InstallationContext<object>, events: CanonicalEvent[]): Promise<EmitResult> {
    const plugin = this.registry.get(installation.pluginId);
    if (!installation.enabled) throw new DomainError('gone', 'installation_disabled', 'This installation is disabled; nothing was stored');
    const problems = checkCanonicalEvents(events, plugin.emits);
    if (problems.length > 0) throw new ValidationFailedError(problems, 'unprocessable', 'invalid_event');
    const result = await this.store.storeMany(installation.workspaceId, installation.id, plugin.id, events).catch((error: unknown) => {
      // A NUL typed into a hosted form is the sender's mistake: 422 naming the field, not a 500 (docs/decisions/0073).
      const field = isNulRejection(error) ? nulFieldIn(events, 'events') : null;
      if (!field) throw error;
      throw new ValidationFailedError([{ field, message: `${field} ${NUL_MESSAGE}` }], 'unprocessable', 'invalid_event');
    });
    await this.installations.recordDelivery(installation.workspaceId, installation.id, this.clock.now(), result.stored.length, result.duplicates);
    return { storedIds: result.stored.map((e) => e.id), duplicates: result.duplicates };
  }

  updateState(installation: InstallationContext<object>, patch: Record<string, unknown>): Promise<void> {
    Object.assign(installation.state, patch);
    return this.installations.mergeState(installation.workspaceId, installation.id, patch);
  }

  reportError(installation: InstallationContext<object>, source: string, message: string): Promise<void> {
    return this.installations.recordError(installation.workspaceId, installation.id, { source, message, at: this.clock.now().toISOString() }, false);
  }
}
