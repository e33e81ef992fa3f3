import { Injectable } from '@nestjs/common';
import { Clock } from '@optline/core';
import { ConsoleSmsProvider, NullSmsProvider } from './console.provider';
import { HttpSmsProvider } from './http.provider';
import { ProviderError, SmsProvider } from './sms-provider';
import { ProviderKind } from './sms-provider-config.entity';
import { ResolvedProviderConfig, SmsProviderConfigService } from './sms-provider-config.service';
import { TwilioSmsProvider } from './twilio.provider';
import { LineTypeLookupClient, TwilioLineTypeLookup } from './line-type-lookup';

/** Picks and builds the adapter of a workspace's configured provider, reusing it until the config changes. */
@Injectable()
export class SmsProviderRegistry {
  private readonly built = new Map<string, { version: string; provider: SmsProvider }>();
  private readonly lookups = new Map<string, { version: string; client: LineTypeLookupClient }>();

  constructor(
    private readonly configs: SmsProviderConfigService,
    private readonly consoleProvider: ConsoleSmsProvider,
    private readonly nullProvider: NullSmsProvider,
    private readonly clock: Clock,
  ) {}

  async forWorkspace(workspaceId: string): Promise<{ provider: SmsProvider; config: ResolvedProviderConfig }> {
    const config = await this.configs.resolve(workspaceId);
    if (config.kind === 'console') return { provider: this.consoleProvider, config };
    if (config.kind === 'null') return { provider: this.nullProvider, config };
    const cached = this.built.get(workspaceId);
    if (cached && cached.version === config.version) return { provider: cached.provider, config };
    const provider = this.build(config);
    this.built.set(workspaceId, { version: config.version, provider });
    return { provider, config };
  }

  /**
   * The workspace's line-type lookup, when its provider offers one and the admin turned it on
   * (Twilio, `lineTypeLookup`: each lookup is billed by Twilio); null otherwise.
   */
  async lineTypeLookup(workspaceId: string): Promise<LineTypeLookupClient | null> {
    const config = await this.configs.resolve(workspaceId);
    if (config.kind !== 'twilio' || !config.settings.lineTypeLookup || !config.settings.accountSid || !config.secrets.authToken) return null;
    const cached = this.lookups.get(workspaceId);
    if (cached && cached.version === config.version) return cached.client;
    const client = new TwilioLineTypeLookup({ accountSid: config.settings.accountSid, authToken: config.secrets.authToken, apiBaseUrl: config.settings.apiBaseUrl });
    this.lookups.set(workspaceId, { version: config.version, client });
    return client;
  }

  /** Where the provider reports delivery of a workspace's messages. */
  statusCallbackUrl(workspaceId: string, kind: ProviderKind): string {
    return this.configs.hookUrl(workspaceId, kind, 'status');
  }

  private build(config: ResolvedProviderConfig): SmsProvider {
    const { settings, secrets } = config;
    if (config.kind === 'twilio') {
      if (!settings.accountSid || !secrets.authToken) throw new ProviderError('permanent', 'provider_not_configured', 'twilio credentials are missing');
      return new TwilioSmsProvider({
        accountSid: settings.accountSid,
        authToken: secrets.authToken,
        from: settings.from,
        messagingServiceSid: settings.messagingServiceSid,
        apiBaseUrl: settings.apiBaseUrl,
      });
    }
    if (!settings.url || !secrets.signingSecret) throw new ProviderError('permanent', 'provider_not_configured', 'http provider url or secret is missing');
    return new HttpSmsProvider({ url: settings.url, signingSecret: secrets.signingSecret, from: settings.from, now: () => Math.floor(this.clock.nowMs() / 1000) });
  }
}
