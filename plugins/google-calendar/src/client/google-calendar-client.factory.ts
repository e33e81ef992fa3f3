import { calendar } from '@googleapis/calendar';
import { Injectable } from '@nestjs/common';
import type { InstallationContext } from '@optline/plugin-sdk';
import { createHash } from 'node:crypto';
import type { GoogleCalendarConfig } from '../config/google-calendar.config';
import { CalendarApi } from './calendar-api';
import { credentialsAuth, GoogleAuthClient, HTTP_OPTIONS } from './google-auth';

/** Where the Calendar API is and how to sign in to it. Unset fields mean Google's own. */
export interface GoogleCalendarEndpoint {
  /** Base URL of the API, e.g. `http://127.0.0.1:4010/` for a local fake; Google's by default. */
  rootUrl?: string;
  /** Builds the auth client for an installation; by default from its stored credentials. */
  auth?: (config: GoogleCalendarConfig) => GoogleAuthClient;
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
  private readonly clients = new Map<string, CalendarApi>();

  /** Aims every client made from now on at another endpoint (tests: the local fake). */
  useEndpoint(endpoint: GoogleCalendarEndpoint): void {
    this.endpoint = { ...endpoint };
    this.clients.clear();
  }

  forInstallation(installation: InstallationContext<GoogleCalendarConfig>): CalendarApi {
    const key = `${installation.id}:${credentialsFingerprint(installation.config)}`;
    const cached = this.clients.get(key);
    if (cached) return cached;
    const api = createCalendarApi((this.endpoint.auth ?? credentialsAuth)(installation.config), this.endpoint.rootUrl);
    if (this.clients.size >= MAX_CACHED_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
    this.clients.set(key, api);
    return api;
  }
}

/** A Calendar API client signed in with `auth`, at Google or at `rootUrl`. */
export function createCalendarApi(auth: GoogleAuthClient, rootUrl?: string): CalendarApi {
  return new CalendarApi(calendar({ version: 'v3', auth, timeout: REQUEST_TIMEOUT_MS, ...HTTP_OPTIONS, ...(rootUrl && { rootUrl }) }));
}

/** Changes whenever the credentials change, so a reconfigured installation gets a fresh client. */
function credentialsFingerprint(config: GoogleCalendarConfig): string {
  const material = [config.authMethod, config.serviceAccountKey, config.delegatedUser, config.oauthClientId, config.oauthClientSecret, config.oauthRefreshToken];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 16);
}
