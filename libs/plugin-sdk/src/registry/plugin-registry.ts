import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '@optline/core';
import { isCanonicalEventType } from '../contract/canonical-events';
import type { OptlinePlugin } from '../contract/plugin';

const PLUGIN_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * The plugins this hub knows, filled by plugin modules at start-up (`registry.register(plugin)`
 * in their `onModuleInit`). In-memory and the same in every process: plugins are code, not data.
 */
@Injectable()
export class PluginRegistry {
  private readonly logger = new Logger(PluginRegistry.name);
  private readonly plugins = new Map<string, OptlinePlugin<object>>();

  register<T extends object>(plugin: OptlinePlugin<T>): void {
    if (!PLUGIN_ID.test(plugin.id)) throw new Error(`plugin id "${plugin.id}" must be lower-case letters, digits and dashes`);
    const unknown = plugin.emits.filter((type) => !isCanonicalEventType(type));
    if (unknown.length > 0) throw new Error(`plugin ${plugin.id} emits unknown event types: ${unknown.join(', ')}`);
    if (plugin.ingress !== false && (typeof plugin.verify !== 'function' || typeof plugin.toEvents !== 'function')) {
      throw new Error(`plugin ${plugin.id} takes webhooks, so it must implement verify and toEvents (or declare ingress: false)`);
    }
    const existing = this.plugins.get(plugin.id);
    if (existing && existing !== (plugin as unknown)) throw new Error(`two plugins share the id "${plugin.id}"`);
    this.plugins.set(plugin.id, plugin as unknown as OptlinePlugin<object>);
    this.logger.log(`plugin registered: ${plugin.id}`);
  }

  /** The plugin, or NotFoundError (404) for an id no module registered. */
  get(pluginId: string): OptlinePlugin<object> {
    const plugin = this.plugins.get(pluginId);
    if (!plugin) throw new NotFoundError('Plugin', pluginId);
    return plugin;
  }

  find(pluginId: string): OptlinePlugin<object> | undefined {
    return this.plugins.get(pluginId);
  }

  list(): OptlinePlugin<object>[] {
    return [...this.plugins.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Ids of plugins that write consent back (`onConsentChanged`). */
  writebackPluginIds(): string[] {
    return this.list()
      .filter((p) => typeof p.onConsentChanged === 'function')
      .map((p) => p.id);
  }
}
