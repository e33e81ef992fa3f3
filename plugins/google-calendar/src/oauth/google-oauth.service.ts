import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, invalidField, NotFoundError } from '@optline/core';
import { authorizationMatches, InstallationContext, newAuthorization, OAUTH_STATE_KEY, OAuthConnectionDto, PluginHost } from '@optline/plugin-sdk';
import { ListedCalendar } from '../client/calendar-api';
import { CALENDAR_SCOPES, OAUTH_CALENDAR_SCOPES, staticTokenAuth } from '../client/google-auth';
import { createCalendarApi, GoogleCalendarClientFactory } from '../client/google-calendar-client.factory';
import { GOOGLE_CALENDAR_PLUGIN_ID, GoogleCalendarConfig } from '../config/google-calendar.config';
import { GoogleCalendarLifecycle } from '../google-calendar-lifecycle.service';
import { GoogleGrantRefused, GoogleOAuthClient } from './google-oauth.client';

export const CONNECTION_STATE_KEY = 'connection';

interface GoogleConnectionState {
  /** The Google account that consented (its primary calendar's id is its email). */
  account: string | null;
  scopes: string[];
  connectedAt: string;
  /** Google's refusal of the refresh token, once it happened. */
  problem: string | null;
}

export interface CalendarChoice extends ListedCalendar {
  watched: boolean;
}

export function redirectUriOf(installation: InstallationContext<object>): string {
  return `${installation.webhookUrl}/oauth/callback`;
}

/**
 * Google's OAuth 2.0 authorization-code flow with offline access for one installation (decision
 * 0253): consent with a one-use state, the code exchanged for a refresh token (sealed in the
 * config), access tokens refreshed by the auth library before expiry and on 401, the account's
 * calendars listed to choose from, and Disconnect stopping the watch channels and revoking the grant.
 */
@Injectable()
export class GoogleOAuthService {
  private readonly logger = new Logger(GoogleOAuthService.name);

  constructor(
    private readonly host: PluginHost,
    private readonly oauth: GoogleOAuthClient,
    private readonly clients: GoogleCalendarClientFactory,
    private readonly lifecycle: GoogleCalendarLifecycle,
    private readonly clock: Clock,
  ) {}

  async authorizeUrl(installation: InstallationContext<GoogleCalendarConfig>): Promise<string> {
    const config = installation.config;
    if (config.authMethod !== 'oauth') throw invalidField('config.authMethod', 'authMethod must be oauth to connect a Google account (a service account needs no consent)');
    if (!config.oauthClientId) throw invalidField('config.oauthClientId', 'oauthClientId (the OAuth client of your Google Cloud project) is required to connect');
    const { state, pending } = newAuthorization(this.clock.now());
    await this.host.updateState(installation, { [OAUTH_STATE_KEY]: pending });
    const params = new URLSearchParams({
      client_id: config.oauthClientId,
      redirect_uri: redirectUriOf(installation),
      response_type: 'code',
      scope: OAUTH_CALENDAR_SCOPES.join(' '),
      // offline + consent: Google sends a refresh token, also to an account that consented before.
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state,
    });
    return `${this.clients.accountsUrl}/o/oauth2/v2/auth?${params.toString()}`;
  }

  async callback(installationId: string, query: Record<string, string>): Promise<{ account: string | null }> {
    const installation = await this.host.installation<GoogleCalendarConfig>(GOOGLE_CALENDAR_PLUGIN_ID, installationId);
    if (!installation) throw new NotFoundError('Google Calendar installation', installationId);
    if (!authorizationMatches(installation.state[OAUTH_STATE_KEY], query.state, this.clock.now())) {
      throw new DomainError('invalid', 'oauth_state_mismatch', 'state does not match a Connect started for this installation in the last 10 minutes; start again');
    }
    // Spent before the exchange: a replayed redirect or a failed exchange cannot use it again.
    await this.host.updateState(installation, { [OAUTH_STATE_KEY]: null });
    if (query.error) throw new DomainError('invalid', 'oauth_denied', `Google did not grant access: ${query.error}`);
    if (!query.code || query.code.length > 1024) throw invalidField('code', 'code is required', 'oauth_code_missing');

    const config = installation.config;
    let tokens;
    try {
      tokens = await this.oauth.exchangeCode({ clientId: config.oauthClientId ?? '', clientSecret: config.oauthClientSecret ?? '', redirectUri: redirectUriOf(installation), code: query.code });
    } catch (error) {
      if (error instanceof GoogleGrantRefused) throw new DomainError('invalid', 'oauth_code_rejected', `Google refused the authorization code (used, expired or not for this client): ${error.message}`);
      throw error;
    }
    // Google's consent screen lets people untick scopes: without the events the plugin can do nothing.
    const missing = CALENDAR_SCOPES.filter((s) => !tokens.scopes.includes(s));
    if (missing.length > 0) throw new DomainError('unprocessable', 'oauth_scope_missing', `Google granted ${tokens.scopes.join(' ') || 'no scopes'}; the plugin needs ${missing.join(', ')} (tick "View events on all your calendars")`);
    if (!tokens.refreshToken) throw new DomainError('unprocessable', 'google_no_refresh_token', 'Google sent no refresh token; connect again (the consent asks for offline access)');

    const account = await this.accountOf(tokens.accessToken);
    const connection: GoogleConnectionState = { account, scopes: tokens.scopes, connectedAt: this.clock.now().toISOString(), problem: null };
    await this.host.updateState(installation, { [CONNECTION_STATE_KEY]: connection });
    this.clients.forget(installation.id);
    await this.host.connectInstallation(installation, { authMethod: 'oauth', oauthRefreshToken: tokens.refreshToken });
    this.logger.log({ installationId }, 'Google account connected by OAuth');
    return { account };
  }

  /**
   * The admin's "Disconnect": the watch channels stopped at Google while the grant still works,
   * then the grant revoked, the refresh token discarded and the installation disabled.
   */
  async disconnect(installation: InstallationContext<GoogleCalendarConfig>, actor: string): Promise<void> {
    if (installation.enabled) {
      const result = await this.lifecycle.disable(installation);
      if (result.state) await this.host.updateState(installation, result.state);
    }
    if (installation.config.oauthRefreshToken) await this.oauth.revoke(installation.config.oauthRefreshToken);
    this.clients.forget(installation.id);
    await this.host.updateState(installation, { [CONNECTION_STATE_KEY]: null });
    await this.host.disconnectInstallation(installation, { oauthRefreshToken: null }, null);
    this.logger.log({ installationId: installation.id, actor }, 'Google Calendar disconnected by the admin');
  }

  /**
   * The connection as the console shows it. For OAuth it asks the auth library for a token (a
   * cached one costs nothing; otherwise this is a refresh), so "token health" is what Google says
   * now; a refused refresh token disconnects the installation with the reason.
   */
  async view(installation: InstallationContext<GoogleCalendarConfig>): Promise<OAuthConnectionDto> {
    const config = installation.config;
    const connection = (installation.state[CONNECTION_STATE_KEY] as GoogleConnectionState | null | undefined) ?? null;
    const base = { account: connection?.account ?? null, scopes: connection?.scopes ?? [], connectedAt: connection?.connectedAt ?? null };
    if (config.authMethod === 'service_account') {
      return { connected: !!config.serviceAccountKey, method: 'manual', account: config.delegatedUser ?? null, scopes: CALENDAR_SCOPES, connectedAt: null, tokenHealth: 'manual', accessTokenExpiresAt: null, lastRefreshAt: null, problem: null };
    }
    if (!config.oauthRefreshToken) {
      return { connected: false, method: 'none', ...base, tokenHealth: connection?.problem ? 'refresh_failed' : 'not_connected', accessTokenExpiresAt: null, lastRefreshAt: null, problem: connection?.problem ?? null };
    }
    const auth = this.clients.forInstallation(installation).auth as { getAccessToken?: () => Promise<unknown>; credentials?: { expiry_date?: number | null } } | undefined;
    try {
      await auth?.getAccessToken?.();
    } catch (error) {
      const message = errorText(error);
      if (!/invalid_grant|invalid_client|unauthorized_client/.test(message)) {
        return { connected: true, method: 'oauth', ...base, tokenHealth: 'ok', accessTokenExpiresAt: null, lastRefreshAt: null, problem: `Google could not be asked now: ${message}` };
      }
      await this.revoked(installation, connection, message);
      return { connected: false, method: 'none', ...base, tokenHealth: 'refresh_failed', accessTokenExpiresAt: null, lastRefreshAt: null, problem: message };
    }
    const activity = this.clients.tokenActivity(installation.id);
    const expiry = auth?.credentials?.expiry_date ?? activity.expiresAt?.getTime() ?? null;
    return {
      connected: true,
      method: config.oauthRefreshToken && connection ? 'oauth' : 'manual',
      ...base,
      tokenHealth: 'ok',
      accessTokenExpiresAt: expiry ? new Date(expiry).toISOString() : null,
      lastRefreshAt: activity.lastRefreshAt?.toISOString() ?? null,
      problem: null,
    };
  }

  /** The calendars of the connected account, marked when watched. */
  async calendars(installation: InstallationContext<GoogleCalendarConfig>): Promise<CalendarChoice[]> {
    const config = installation.config;
    if (config.authMethod === 'oauth' && !config.oauthRefreshToken) throw new DomainError('conflict', 'google_not_connected', 'Connect Google Calendar first');
    const listed = await this.clients.forInstallation(installation).listCalendars();
    return listed.map((c) => ({ ...c, watched: config.calendarIds.includes(c.id) || (c.primary && config.calendarIds.includes('primary')) }));
  }

  /** Google refused the refresh token (revoked in the account, or the client deleted): stop, say why. */
  async revoked(installation: InstallationContext<GoogleCalendarConfig>, connection: GoogleConnectionState | null, message: string): Promise<void> {
    this.clients.forget(installation.id);
    const reason = `Google refused the refresh token (${message}): access was revoked or the client removed; connect Google Calendar again`;
    await this.host.updateState(installation, { [CONNECTION_STATE_KEY]: { ...(connection ?? { account: null, scopes: [], connectedAt: this.clock.now().toISOString() }), problem: message }, channels: [] });
    await this.host.disconnectInstallation(installation, { oauthRefreshToken: null }, reason);
    this.logger.warn({ installationId: installation.id }, 'Google refused the refresh token; installation disconnected');
  }

  /** The account's email: the id of its primary calendar (needs only the calendar-list scope already asked for). */
  private async accountOf(accessToken: string): Promise<string | null> {
    try {
      const calendars = await createCalendarApi(staticTokenAuth(accessToken), this.clients.rootUrl).listCalendars();
      return calendars.find((c) => c.primary)?.id ?? null;
    } catch {
      return null;
    }
  }
}

function errorText(error: unknown): string {
  const data = (error as { response?: { data?: { error?: unknown; error_description?: unknown } } })?.response?.data;
  if (data && typeof data.error === 'string') return `${data.error}${typeof data.error_description === 'string' ? `: ${data.error_description}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
