import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, invalidField, SealedSecret, SecretBox } from '@optline/core';
import { InstallationContext, PluginHost } from '@optline/plugin-sdk';
import { HubspotConfigDto } from '../config/hubspot-config.dto';
import { statusOf } from '../crm/hubspot-backoff';
import { HubspotGrantRefused, HubspotOAuthClient, HubspotTokens } from './hubspot-oauth.client';

/** Where the current OAuth access token lives in the installation's state: sealed, with its expiry. */
export const TOKEN_STATE_KEY = 'token';
/** Who connected, what was granted, and how the refreshes go: the console's "token health". */
export const CONNECTION_STATE_KEY = 'connection';
/** A token this close to its expiry is refreshed before use, so no call races the expiry. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface StoredToken {
  sealed: SealedSecret;
  expiresAt: string;
}

export interface HubspotConnectionState {
  hubId: number;
  hubDomain: string | null;
  user: string | null;
  scopes: string[];
  connectedAt: string;
  lastRefreshAt: string | null;
  /** HubSpot's last refusal of the refresh token, when the connection is broken. */
  problem: string | null;
}

export function redirectUriOf(installation: InstallationContext<object>): string {
  return `${installation.webhookUrl}/oauth/callback`;
}

/**
 * The access token for an installation's HubSpot calls. A pasted private-app token is used as
 * is. An OAuth connection's access token (30 minutes at HubSpot) is kept sealed in the state,
 * refreshed when it is within five minutes of its expiry and once more when HubSpot answers 401;
 * a refused refresh token (revoked, app uninstalled) disconnects the installation with the reason.
 */
@Injectable()
export class HubspotTokenService {
  private readonly logger = new Logger(HubspotTokenService.name);
  /** The latest token per installation in this process: the context a call carries may predate a refresh. */
  private readonly fresh = new Map<string, { token: string; expiresAt: number }>();
  /** One refresh at a time per installation in this process. */
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(
    private readonly oauth: HubspotOAuthClient,
    private readonly host: PluginHost,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  isOAuth(config: HubspotConfigDto): boolean {
    return !!config.refreshToken;
  }

  /** Runs `call` with a valid token; on a 401 of an OAuth connection, refreshes once and runs it again. */
  async withToken<T>(installation: InstallationContext<HubspotConfigDto>, call: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken(installation);
    try {
      return await call(token);
    } catch (error) {
      if (statusOf(error) !== 401 || !this.isOAuth(installation.config)) throw error;
      this.logger.log({ installationId: installation.id }, 'HubSpot answered 401: refreshing the access token');
      return call(await this.refresh(installation));
    }
  }

  async accessToken(installation: InstallationContext<HubspotConfigDto>): Promise<string> {
    const config = installation.config;
    if (!this.isOAuth(config)) {
      if (!config.accessToken) throw invalidField('config.accessToken', 'Connect to HubSpot, or paste a private-app access token', 'hubspot_not_connected');
      return config.accessToken;
    }
    const now = this.clock.nowMs();
    const cached = this.fresh.get(installation.id);
    if (cached && cached.expiresAt - now > REFRESH_MARGIN_MS) return cached.token;
    const stored = installation.state[TOKEN_STATE_KEY] as StoredToken | undefined;
    if (stored && Date.parse(stored.expiresAt) - now > REFRESH_MARGIN_MS && (!cached || Date.parse(stored.expiresAt) > cached.expiresAt)) {
      const token = this.box.openJson<string>(stored.sealed);
      this.fresh.set(installation.id, { token, expiresAt: Date.parse(stored.expiresAt) });
      return token;
    }
    return this.refresh(installation);
  }

  /** Stores a token pair just obtained (the Connect callback, or a refresh). */
  async store(installation: InstallationContext<object>, tokens: HubspotTokens): Promise<void> {
    const expiresAt = this.clock.nowMs() + tokens.expiresIn * 1000;
    this.fresh.set(installation.id, { token: tokens.accessToken, expiresAt });
    await this.host.updateState(installation, { [TOKEN_STATE_KEY]: { sealed: this.box.sealJson(tokens.accessToken), expiresAt: new Date(expiresAt).toISOString() } satisfies StoredToken });
  }

  /** Forgets the access token (a disconnect). */
  async forget(installation: InstallationContext<object>): Promise<void> {
    this.fresh.delete(installation.id);
    await this.host.updateState(installation, { [TOKEN_STATE_KEY]: null });
  }

  private refresh(installation: InstallationContext<HubspotConfigDto>): Promise<string> {
    const running = this.refreshing.get(installation.id);
    if (running) return running;
    const attempt = this.doRefresh(installation).finally(() => this.refreshing.delete(installation.id));
    this.refreshing.set(installation.id, attempt);
    return attempt;
  }

  private async doRefresh(installation: InstallationContext<HubspotConfigDto>): Promise<string> {
    const config = installation.config;
    const connection = (installation.state[CONNECTION_STATE_KEY] as HubspotConnectionState | undefined) ?? null;
    try {
      const tokens = await this.oauth.refresh({ clientId: config.clientId ?? '', clientSecret: config.clientSecret, redirectUri: redirectUriOf(installation), refreshToken: config.refreshToken! });
      await this.store(installation, tokens);
      if (connection) await this.host.updateState(installation, { [CONNECTION_STATE_KEY]: { ...connection, lastRefreshAt: this.clock.now().toISOString(), problem: null } });
      return tokens.accessToken;
    } catch (error) {
      if (!(error instanceof HubspotGrantRefused)) throw error;
      // Revoked in HubSpot, the app uninstalled from the portal, or a token of another app: nothing the hub can retry.
      const reason = `HubSpot refused the refresh token (${error.message}): the app was uninstalled or its access revoked; connect to HubSpot again`;
      this.fresh.delete(installation.id);
      await this.host.updateState(installation, { [TOKEN_STATE_KEY]: null, ...(connection && { [CONNECTION_STATE_KEY]: { ...connection, problem: error.message } }) });
      await this.host.disconnectInstallation(installation, { refreshToken: null, accessToken: null }, reason);
      this.logger.warn({ installationId: installation.id, status: error.status }, 'HubSpot refused the refresh token; installation disconnected');
      throw new DomainError('unprocessable', 'hubspot_refresh_refused', reason);
    }
  }
}
