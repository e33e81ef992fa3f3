import { calendar } from '@googleapis/calendar';
import { Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@optline/core';
import type { InstallationContext } from '@optline/plugin-sdk';
import { createHash } from 'node:crypto';
import type { GoogleCalendarConfig } from '../config/google-calendar.config';
import { CalendarApi } from './calendar-api';
import { credentialsAuth, GOOGLE_OAUTH_ENDPOINTS, GoogleAuthClient, GoogleOAuthEndpoints, HTTP_OPTIONS } from './google-auth';

/** Where the Calendar API is and how to sign in to it. Unset fields mean Google's own. */
export interface GoogleCalendarEndpoint {
  /** Base URL of the API, e.g. `http://127.0.0.1:4010/` for a local fake; Google's by default. */
  rootUrl?: string;
  /** Builds the auth client for an installation; by default from its stored credentials. */
  auth?: (config: GoogleCalendarConfig) => GoogleAuthClient;
  /** Google's OAuth token and revocation endpoints; Google's by default. */
  oauth?: GoogleOAuthEndpoints;
  /** Where the browser goes to consent (`…/o/oauth2/v2/auth`); accounts.google.com by default. */
  accountsUrl?: string;
}

/** What the hub saw of an installation's OAuth access tokens in this process. */
export interface TokenActivity {
  lastRefreshAt: Date | null;
  expiresAt: Date | null;
}

/** Clients kept per installation (auth clients cache their access tokens, so reuse matters). */
const MAX_CACHED_CLIENTS = 500;
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Builds Calendar API clients for installations. Production uses Google with each
 * installation's credentials; tests point it at the local fake with a static-token auth through
 * `useEndpoint`, so no request ever reaches Google's token endpoint.
 */
@Injectable()
export class GoogleCalendarClientFactory {
  private endpoint: GoogleCalendarEndpoint = {};
  private readonly defaults: GoogleCalendarEndpoint = {};
  private readonly clients = new Map<string, CalendarApi>();
  private readonly activity = new Map<string, TokenActivity>();

  constructor(@Optional() config?: AppConfig) {
    // GOOGLE_API_URL, GOOGLE_OAUTH_URL and GOOGLE_ACCOUNTS_URL: an egress proxy or a local fake.
    const trim = (url: string) => url.replace(/\/+$/, '');
    if (config?.GOOGLE_API_URL) this.defaults.rootUrl = `${trim(config.GOOGLE_API_URL)}/`;
    if (config?.GOOGLE_OAUTH_URL) this.defaults.oauth = { tokenUrl: `${trim(config.GOOGLE_OAUTH_URL)}/token`, revokeUrl: `${trim(config.GOOGLE_OAUTH_URL)}/revoke` };
    if (config?.GOOGLE_ACCOUNTS_URL) this.defaults.accountsUrl = trim(config.GOOGLE_ACCOUNTS_URL);
    this.endpoint = { ...this.defaults };
  }

  /** Aims every client made from now on at another endpoint (tests: the local fake); unset fields keep the configured ones. */
  useEndpoint(endpoint: GoogleCalendarEndpoint): void {
    this.endpoint = { ...this.defaults, ...endpoint };
    this.clients.clear();
  }

  get oauthEndpoints(): GoogleOAuthEndpoints {
    return this.endpoint.oauth ?? GOOGLE_OAUTH_ENDPOINTS;
  }

  /** The Calendar API's root URL when it is not Google's. */
  get rootUrl(): string | undefined {
    return this.endpoint.rootUrl;
  }

  get accountsUrl(): string {
    return this.endpoint.accountsUrl ?? 'https://accounts.google.com';
  }

  tokenActivity(installationId: string): TokenActivity {
    return this.activity.get(installationId) ?? { lastRefreshAt: null, expiresAt: null };
  }

  /** Drops the installation's cached clients (a disconnect: the credentials are gone). */
  forget(installationId: string): void {
    for (const key of [...this.clients.keys()]) if (key.startsWith(`${installationId}:`)) this.clients.delete(key);
    this.activity.delete(installationId);
  }

  forInstallation(installation: InstallationContext<GoogleCalendarConfig>): CalendarApi {
    const key = `${installation.id}:${credentialsFingerprint(installation.config)}`;
    const cached = this.clients.get(key);
    if (cached) return cached;
    const auth = this.endpoint.auth ? this.endpoint.auth(installation.config) : credentialsAuth(installation.config, this.oauthEndpoints);
    // Token refreshes happen inside the library; the console's "token health" shows when.
    (auth as { on?: (event: 'tokens', listener: (tokens: { expiry_date?: number | null }) => void) => void }).on?.('tokens', (tokens) => {
      this.activity.set(installation.id, { lastRefreshAt: new Date(), expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null });
    });
    const api = createCalendarApi(auth, this.endpoint.rootUrl);
    if (this.clients.size >= MAX_CACHED_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
    this.clients.set(key, api);
    return api;
  }
}

/** A Calendar API client signed in with `auth`, at Google or at `rootUrl`. */
export function createCalendarApi(auth: GoogleAuthClient, rootUrl?: string): CalendarApi {
  return new CalendarApi(calendar({ version: 'v3', auth, timeout: REQUEST_TIMEOUT_MS, ...HTTP_OPTIONS, ...(rootUrl && { rootUrl }) }), auth);
}

/** Changes whenever the credentials change, so a reconfigured installation gets a fresh client. */
function credentialsFingerprint(config: GoogleCalendarConfig): string {
  const material = [config.authMethod, config.serviceAccountKey, config.delegatedUser, config.oauthClientId, config.oauthClientSecret, config.oauthRefreshToken];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 16);
}
