import { Injectable } from '@nestjs/common';
import { AppConfig, SealedSecret, SecretBox, validateObject } from '@optline/core';
import { plainToInstance } from 'class-transformer';
import { secretFieldsOf } from '../contract/secret.decorator';
import type { InstallationContext, OptlinePlugin } from '../contract/plugin';
import type { PluginInstallation } from './plugin-installation.entity';

/** What answers show in place of a secret that is set. Sending it back keeps the stored value. */
export const SECRET_MASK = '********';

export interface EncodedConfig {
  config: Record<string, unknown>;
  secrets: SealedSecret | null;
  keyId: string | null;
}

/**
 * Splits an installation's config into its plain part and its secret fields, sealing the
 * secrets with the SecretBox; opens them again for plugin calls; masks them for answers.
 */
@Injectable()
export class InstallationConfigCodec {
  constructor(
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  /** What plugin calls receive: the installation with its config decrypted. */
  context<T extends object>(plugin: OptlinePlugin<T>, row: PluginInstallation): InstallationContext<T> {
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      pluginId: row.pluginId,
      enabled: row.enabled,
      config: this.decode(plugin, row),
      state: row.state,
      webhookUrl: this.webhookUrl(row.pluginId, row.id),
    };
  }

  webhookUrl(pluginId: string, installationId: string): string {
    return `${this.config.publicUrl}/hooks/${pluginId}/${installationId}`;
  }

  /**
   * Validates a new config against the plugin's DTO (422 naming `config.<field>`) and encodes it.
   * A secret field left out, or sent back as the mask, keeps its stored value.
   */
  encode(plugin: OptlinePlugin<object>, incoming: Record<string, unknown>, existing: PluginInstallation | null): EncodedConfig {
    const secretFields = secretFieldsOf(plugin.configClass);
    const storedSecrets = existing ? this.openSecrets(existing) : {};
    const merged: Record<string, unknown> = { ...incoming };
    for (const field of secretFields) {
      if ((merged[field] === undefined || merged[field] === SECRET_MASK) && storedSecrets[field] !== undefined) merged[field] = storedSecrets[field];
    }
    const valid = validateObject(plugin.configClass, merged, { fieldPrefix: 'config' }) as Record<string, unknown>;
    const plain = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
    const secrets: Record<string, unknown> = {};
    for (const field of secretFields) {
      if (plain[field] !== undefined && plain[field] !== null) secrets[field] = plain[field];
      delete plain[field];
    }
    if (Object.keys(secrets).length === 0) return { config: plain, secrets: null, keyId: null };
    const sealed = this.box.sealJson(secrets);
    return { config: plain, secrets: sealed, keyId: sealed.keyId };
  }

  /** The full config, secrets opened, as an instance of the plugin's config class. Never log it. */
  decode<T extends object>(plugin: OptlinePlugin<T>, row: PluginInstallation): T {
    return plainToInstance(plugin.configClass, { ...row.config, ...this.openSecrets(row) });
  }

  /** The config as answers show it: every secret field that is set replaced by the mask. */
  mask(plugin: OptlinePlugin<object>, row: PluginInstallation): Record<string, unknown> {
    const masked: Record<string, unknown> = { ...row.config };
    const stored = row.secrets ? this.openSecretNames(row) : new Set<string>();
    for (const field of secretFieldsOf(plugin.configClass)) masked[field] = stored.has(field) ? SECRET_MASK : null;
    return masked;
  }

  private openSecrets(row: PluginInstallation): Record<string, unknown> {
    return row.secrets ? this.box.openJson<Record<string, unknown>>(row.secrets) : {};
  }

  private openSecretNames(row: PluginInstallation): Set<string> {
    return new Set(Object.keys(this.openSecrets(row)));
  }
}
