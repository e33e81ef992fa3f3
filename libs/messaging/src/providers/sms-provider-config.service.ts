import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppConfig, invalidField, SecretBox } from '@optline/core';
import { Repository } from 'typeorm';
import { ProviderKind, ProviderSecrets, ProviderSettings, SmsProviderConfig } from './sms-provider-config.entity';
import { PutSmsProviderDto } from './sms-provider.dto';

/** A workspace's provider settings with its secrets opened: for adapters and signature checks only. */
export interface ResolvedProviderConfig {
  workspaceId: string;
  kind: ProviderKind;
  settings: ProviderSettings;
  secrets: ProviderSecrets;
  /** Changes whenever the config is saved (used to rebuild cached adapters). */
  version: string;
}

/** What an admin sees: secrets masked, and the URLs to paste into the provider's console. */
export interface ProviderConfigView {
  kind: ProviderKind;
  settings: ProviderSettings;
  secrets: Record<keyof ProviderSecrets, string | null>;
  inboundUrl: string | null;
  statusCallbackUrl: string | null;
  updatedAt: Date | null;
}

const CACHE_MS = 5_000;

function mask(secret: string | undefined): string | null {
  if (!secret) return null;
  return `••••${secret.slice(-4)}`;
}

/**
 * Stores each workspace's SMS provider choice (`PUT /v1/sms-provider`). Secrets are sealed with
 * SecretBox and never leave this service unsealed except towards the adapters and the webhook
 * signature checks. Workspaces without a row use the hub's default (SMS_PROVIDER: console).
 */
@Injectable()
export class SmsProviderConfigService {
  private readonly cache = new Map<string, { at: number; value: ResolvedProviderConfig }>();

  constructor(
    @InjectRepository(SmsProviderConfig) private readonly configs: Repository<SmsProviderConfig>,
    private readonly secretBox: SecretBox,
    private readonly config: AppConfig,
  ) {}

  async resolve(workspaceId: string): Promise<ResolvedProviderConfig> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const row = await this.configs.findOne({ where: { workspaceId }, select: { workspaceId: true, kind: true, settings: true, secrets: true, updatedAt: true } });
    const value: ResolvedProviderConfig = row
      ? {
          workspaceId,
          kind: row.kind,
          settings: row.settings,
          secrets: row.secrets ? this.secretBox.openJson<ProviderSecrets>(row.secrets) : {},
          version: row.updatedAt.toISOString(),
        }
      : { workspaceId, kind: this.defaultKind(), settings: {}, secrets: {}, version: 'default' };
    this.cache.set(workspaceId, { at: Date.now(), value });
    return value;
  }

  async view(workspaceId: string): Promise<ProviderConfigView> {
    const resolved = await this.resolve(workspaceId);
    const row = resolved.version === 'default' ? null : await this.configs.findOne({ where: { workspaceId } });
    return this.present(resolved, row?.updatedAt ?? null);
  }

  async put(workspaceId: string, dto: PutSmsProviderDto): Promise<ProviderConfigView> {
    const current = await this.resolve(workspaceId);
    const sameKind = current.kind === dto.kind;
    const secrets: ProviderSecrets = {};
    const settings: ProviderSettings = {};
    if (dto.messagesPerSecond !== undefined) settings.messagesPerSecond = dto.messagesPerSecond;
    if (dto.from !== undefined) settings.from = dto.from;

    if (dto.kind === 'twilio') {
      settings.accountSid = dto.accountSid;
      if (dto.messagingServiceSid) settings.messagingServiceSid = dto.messagingServiceSid;
      if (dto.apiBaseUrl) settings.apiBaseUrl = dto.apiBaseUrl.replace(/\/+$/, '');
      if (dto.replyInTwiml !== undefined) settings.replyInTwiml = dto.replyInTwiml;
      if (dto.lineTypeLookup !== undefined) settings.lineTypeLookup = dto.lineTypeLookup;
      if (!settings.from && !settings.messagingServiceSid) throw invalidField('from', 'twilio needs a sender number (from) or a messagingServiceSid');
      secrets.authToken = dto.authToken ?? (sameKind && current.settings.accountSid === dto.accountSid ? current.secrets.authToken : undefined);
      if (!secrets.authToken) throw invalidField('authToken', 'twilio needs the Auth Token of this account');
    } else if (dto.kind === 'http') {
      settings.url = dto.url;
      secrets.signingSecret = dto.signingSecret ?? (sameKind ? current.secrets.signingSecret : undefined);
      if (!secrets.signingSecret) throw invalidField('signingSecret', 'http needs a signingSecret of at least 16 characters');
    }

    const hasSecrets = Object.values(secrets).some(Boolean);
    await this.configs.upsert(
      { workspaceId, kind: dto.kind, settings, secrets: hasSecrets ? this.secretBox.sealJson(secrets) : null, updatedAt: new Date() },
      ['workspaceId'],
    );
    this.cache.delete(workspaceId);
    return this.view(workspaceId);
  }

  /** The URL a provider must call for this workspace: inbound texts, or status callbacks. */
  hookUrl(workspaceId: string, kind: ProviderKind, which: 'inbound' | 'status'): string {
    const base = `${this.config.publicUrl}/hooks/sms/${kind}/${workspaceId}`;
    return which === 'inbound' ? base : `${base}/status`;
  }

  private present(resolved: ResolvedProviderConfig, updatedAt: Date | null): ProviderConfigView {
    const remote = resolved.kind === 'twilio' || resolved.kind === 'http';
    return {
      kind: resolved.kind,
      settings: resolved.settings,
      secrets: { authToken: mask(resolved.secrets.authToken), signingSecret: mask(resolved.secrets.signingSecret) },
      inboundUrl: remote ? this.hookUrl(resolved.workspaceId, resolved.kind, 'inbound') : null,
      statusCallbackUrl: remote ? this.hookUrl(resolved.workspaceId, resolved.kind, 'status') : null,
      updatedAt,
    };
  }

  private defaultKind(): ProviderKind {
    // Only the account-less providers can be a hub-wide default; twilio and http need credentials.
    return this.config.SMS_PROVIDER === 'null' ? 'null' : 'console';
  }
}
