import { auth as googleAuth, calendar_v3 } from '@googleapis/calendar';
import type { GoogleCalendarConfig } from '../config/google-calendar.config';
import { parseServiceAccountKey } from '../config/service-account-key.validator';

/** What `calendar({ auth })` accepts: a JWT or OAuth2 client here. */
export type GoogleAuthClient = NonNullable<calendar_v3.Options['auth']>;

/**
 * Read-only access to events is all the plugin needs: `events.list`, `events.watch` and
 * `channels.stop` all accept this scope, and the hub never writes to a calendar.
 */
export const CALENDAR_SCOPES = ['https://www.googleapis.com/auth/calendar.events.readonly'];

/** What the OAuth consent asks for: the events, and the list of the account's calendars to choose from. */
export const OAUTH_CALENDAR_SCOPES = [...CALENDAR_SCOPES, 'https://www.googleapis.com/auth/calendar.calendarlist.readonly'];

/** Google's OAuth token and revocation endpoints (GOOGLE_OAUTH_URL moves both, e.g. to a local fake). */
export interface GoogleOAuthEndpoints {
  tokenUrl: string;
  revokeUrl: string;
}

export const GOOGLE_OAUTH_ENDPOINTS: GoogleOAuthEndpoints = { tokenUrl: 'https://oauth2.googleapis.com/token', revokeUrl: 'https://oauth2.googleapis.com/revoke' };

/**
 * Node's own fetch for every Google call. Left alone, gaxios loads `node-fetch` with a dynamic
 * `import()` on first use, which fails inside VM sandboxes such as Jest's; the built-in fetch
 * works everywhere Node ≥ 20 does.
 */
export const HTTP_OPTIONS = { fetchImplementation: globalThis.fetch };

/**
 * The auth client for an installation's credentials: a service-account JWT (acting as
 * `delegatedUser` with domain-wide delegation) or an OAuth2 client that refreshes its access
 * token from the stored refresh token. Both fetch and cache access tokens from Google's token
 * endpoint on first use.
 */
export function credentialsAuth(config: GoogleCalendarConfig, endpoints: GoogleOAuthEndpoints = GOOGLE_OAUTH_ENDPOINTS): GoogleAuthClient {
  if (config.authMethod === 'service_account') {
    const key = parseServiceAccountKey(config.serviceAccountKey);
    if (!key) throw new Error('the installation has no usable service-account key');
    return new googleAuth.JWT({
      email: key.client_email,
      key: key.private_key,
      scopes: CALENDAR_SCOPES,
      subject: config.delegatedUser || undefined,
      transporterOptions: HTTP_OPTIONS,
    });
  }
  // The library refreshes the access token five minutes before it expires; `forceRefreshOnFailure`
  // makes it refresh and retry once when a call answers 401 although the token had not expired
  // (revoked sessions, a clock that disagrees with Google's).
  const client = new googleAuth.OAuth2({
    clientId: config.oauthClientId,
    clientSecret: config.oauthClientSecret,
    forceRefreshOnFailure: true,
    transporterOptions: HTTP_OPTIONS,
    endpoints: { oauth2TokenUrl: endpoints.tokenUrl, oauth2RevokeUrl: endpoints.revokeUrl },
  });
  client.setCredentials({ refresh_token: config.oauthRefreshToken });
  return client;
}

/**
 * An auth client that always presents the same bearer token and never calls a token endpoint:
 * for the local fake Calendar API in tests, or a proxy that adds real credentials itself.
 */
export function staticTokenAuth(accessToken: string): GoogleAuthClient {
  const client = new googleAuth.OAuth2({ transporterOptions: HTTP_OPTIONS });
  // Far in the future, so the client never considers the token due for a refresh.
  client.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 100 * 365 * 86_400_000 });
  return client;
}
