import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, invalidField, NotFoundError } from '@optline/core';
import { authorizationMatches, InstallationContext, newAuthorization, OAUTH_STATE_KEY, OAuthConnectionDto, PluginHost } from '@optline/plugin-sdk';
import { HubspotConfigDto } from '../config/hubspot-config.dto';
import { HubspotClientFactory } from '../crm/hubspot-client.factory';
import { HubspotGrantRefused, HubspotOAuthClient } from './hubspot-oauth.client';
import { CONNECTION_STATE_KEY, HubspotConnectionState, HubspotTokenService, redirectUriOf, TOKEN_STATE_KEY } from './hubspot-token.service';

/** What the plugin reads and writes in the portal; `oauth` is required of every public app. */
export const HUBSPOT_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read'] as const;
/** Deals drive `deal.stage_changed`; a portal without deal access still connects (HubSpot's `optional_scope`). */
export const HUBSPOT_OPTIONAL_SCOPES = ['crm.objects.deals.read'] as const;

const PLUGIN_ID = 'hubspot';

/**
 * HubSpot's OAuth app install for one installation (decisions 0250, 0251): the authorize URL with
 * a one-use state, the code exchanged at `/oauth/v1/token`, the tokens stored sealed, the portal
 * read from the token, and the installation enabled (which checks the CRM access and sets the
 * app's webhook subscriptions when the developer key is configured).
 */
@Injectable()
export class HubspotOAuthService {
  private readonly logger = new Logger(HubspotOAuthService.name);

  constructor(
    private readonly host: PluginHost,
    private readonly oauth: HubspotOAuthClient,
    private readonly tokens: HubspotTokenService,
    private readonly clients: HubspotClientFactory,
    private readonly clock: Clock,
  ) {}

  async authorizeUrl(installation: InstallationContext<HubspotConfigDto>): Promise<string> {
    if (!installation.config.clientId) throw invalidField('config.clientId', "config.clientId (the app's client id) is required to connect to HubSpot");
    const { state, pending } = newAuthorization(this.clock.now());
    await this.host.updateState(installation, { [OAUTH_STATE_KEY]: pending });
    const params = new URLSearchParams({
      client_id: installation.config.clientId,
      redirect_uri: redirectUriOf(installation),
      scope: HUBSPOT_SCOPES.join(' '),
      optional_scope: HUBSPOT_OPTIONAL_SCOPES.join(' '),
      state,
    });
    return `${this.clients.options.appUrl}/oauth/authorize?${params.toString()}`;
  }

  /**
   * HubSpot's redirect after the admin chose a portal and approved. The state is spent before
   * anything else, so neither a replayed redirect nor a failed exchange can use it again.
   */
  async callback(installationId: string, query: Record<string, string>): Promise<{ portalId: number; hubDomain: string | null; scopes: string[] }> {
    const installation = await this.host.installation<HubspotConfigDto>(PLUGIN_ID, installationId);
    if (!installation) throw new NotFoundError('HubSpot installation', installationId);
    const valid = authorizationMatches(installation.state[OAUTH_STATE_KEY], query.state, this.clock.now());
    if (!valid) throw new DomainError('invalid', 'oauth_state_mismatch', 'state does not match a Connect started for this installation in the last 10 minutes; start again');
    await this.host.updateState(installation, { [OAUTH_STATE_KEY]: null });
    if (query.error) throw new DomainError('invalid', 'oauth_denied', `HubSpot did not grant access: ${query.error_description ?? query.error}`);
    if (!query.code || query.code.length > 512) throw invalidField('code', 'code is required', 'oauth_code_missing');

    const config = installation.config;
    let tokens;
    try {
      tokens = await this.oauth.exchangeCode({ clientId: config.clientId ?? '', clientSecret: config.clientSecret, redirectUri: redirectUriOf(installation), code: query.code });
    } catch (error) {
      if (error instanceof HubspotGrantRefused) throw new DomainError('invalid', 'oauth_code_rejected', `HubSpot refused the authorization code (used, expired or not for this app): ${error.message}`);
      throw error;
    }
    const info = await this.oauth.tokenInfo(tokens.accessToken);
    const missing = HUBSPOT_SCOPES.filter((s) => !info.scopes.includes(s));
    if (missing.length > 0) throw new DomainError('unprocessable', 'oauth_scope_missing', `HubSpot granted ${info.scopes.join(' ') || 'no scopes'}; the plugin needs ${missing.join(', ')} too`);

    await this.tokens.store(installation, tokens);
    const connection: HubspotConnectionState = {
      hubId: info.hubId,
      hubDomain: info.hubDomain,
      user: info.user,
      scopes: info.scopes,
      connectedAt: this.clock.now().toISOString(),
      lastRefreshAt: null,
      problem: null,
    };
    await this.host.updateState(installation, { [CONNECTION_STATE_KEY]: connection });
    // The pasted token, if any, gives way: the refresh token decides from now on.
    await this.host.connectInstallation(installation, { refreshToken: tokens.refreshToken, accessToken: null, portalId: info.hubId });
    this.logger.log({ installationId, portalId: info.hubId }, 'HubSpot portal connected by OAuth');
    return { portalId: info.hubId, hubDomain: info.hubDomain, scopes: info.scopes };
  }

  /**
   * The admin's "Disconnect": the refresh token revoked at HubSpot (the app loses the portal),
   * the tokens discarded here and the installation disabled. Manual entry stays possible.
   */
  async disconnect(installation: InstallationContext<HubspotConfigDto>, actor: string): Promise<void> {
    const refreshToken = installation.config.refreshToken;
    if (refreshToken) await this.oauth.revoke(refreshToken);
    await this.tokens.forget(installation);
    await this.host.updateState(installation, { [CONNECTION_STATE_KEY]: null });
    await this.host.disconnectInstallation(installation, { refreshToken: null, accessToken: null }, null);
    this.logger.log({ installationId: installation.id, actor }, 'HubSpot disconnected by the admin');
  }

  view(installation: InstallationContext<HubspotConfigDto>): OAuthConnectionDto {
    const config = installation.config;
    const connection = (installation.state[CONNECTION_STATE_KEY] as HubspotConnectionState | null | undefined) ?? null;
    const token = installation.state[TOKEN_STATE_KEY] as { expiresAt?: string } | null | undefined;
    if (config.refreshToken && connection) {
      return {
        connected: true,
        method: 'oauth',
        account: `${connection.hubDomain ?? 'HubSpot'} (portal ${connection.hubId})${connection.user ? ` — approved by ${connection.user}` : ''}`,
        scopes: connection.scopes,
        connectedAt: connection.connectedAt,
        tokenHealth: connection.problem ? 'refresh_failed' : 'ok',
        accessTokenExpiresAt: token?.expiresAt ?? null,
        lastRefreshAt: connection.lastRefreshAt,
        problem: connection.problem,
      };
    }
    if (config.accessToken) {
      return { connected: true, method: 'manual', account: config.portalId ? `portal ${config.portalId}` : null, scopes: [], connectedAt: null, tokenHealth: 'manual', accessTokenExpiresAt: null, lastRefreshAt: null, problem: null };
    }
    return {
      connected: false,
      method: 'none',
      account: connection ? `${connection.hubDomain ?? 'HubSpot'} (portal ${connection.hubId})` : null,
      scopes: [],
      connectedAt: null,
      tokenHealth: connection?.problem ? 'refresh_failed' : 'not_connected',
      accessTokenExpiresAt: null,
      lastRefreshAt: connection?.lastRefreshAt ?? null,
      problem: connection?.problem ?? null,
    };
  }
}
