import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeGoogleCalendar, GoogleVendorExtension } from './google-calendar.fake';

export const GOOGLE_CLIENT = {
  clientId: '847362910455-h4rb0rd3nt4l.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-harbor-dental-fake-secret',
};

export const EVENTS_SCOPE = 'https://www.googleapis.com/auth/calendar.events.readonly';
export const CALENDAR_LIST_SCOPE = 'https://www.googleapis.com/auth/calendar.calendarlist.readonly';

interface Grant {
  refreshToken: string;
  scopes: string[];
  revoked: boolean;
}

/**
 * Google's OAuth 2.0 endpoints on the fake Calendar API's server, in Google's wire format:
 * `POST /token` (form-encoded authorization_code and refresh_token grants; 400 `invalid_grant`,
 * 400 `redirect_uri_mismatch`, 401 `invalid_client`) and `POST /revoke` (200, or 400
 * `invalid_token`). The consent screen is the test's: `approve()` is what Google does when the
 * account clicks "Allow".
 */
export class GoogleOAuthFake implements GoogleVendorExtension {
  /** Seconds an access token lives (Google: 3599). */
  expiresIn = 3599;
  refreshes = 0;
  readonly revoked: string[] = [];
  private readonly codes = new Map<string, { redirectUri: string; clientId: string; scopes: string[]; used: boolean; offline: boolean }>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { grant: Grant; valid: boolean }>();

  constructor(private readonly client = GOOGLE_CLIENT) {}

  static attachTo(calendar: FakeGoogleCalendar, client = GOOGLE_CLIENT): GoogleOAuthFake {
    const fake = new GoogleOAuthFake(client);
    calendar.attach(fake);
    return fake;
  }

  /** The account clicked "Allow" on the consent screen (optionally unticking scopes): the redirect Google answers. */
  approve(authorizeUrl: string, options: { scopes?: string[] } = {}): { code: string; redirect: string } {
    const url = new URL(authorizeUrl);
    const redirectUri = url.searchParams.get('redirect_uri')!;
    const code = `4/0A${randomBytes(18).toString('base64url')}`;
    const asked = (url.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    this.codes.set(code, { redirectUri, clientId: url.searchParams.get('client_id') ?? '', scopes: options.scopes ?? asked, used: false, offline: url.searchParams.get('access_type') === 'offline' });
    const redirect = new URL(redirectUri);
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('scope', (options.scopes ?? asked).join(' '));
    return { code, redirect: `${redirect.pathname}${redirect.search}` };
  }

  /** The account removed the app's access (myaccount.google.com/permissions): refresh and access tokens stop working. */
  revokeAccessInAccount(): void {
    for (const grant of this.grants.values()) grant.revoked = true;
    for (const token of this.accessTokens.values()) token.valid = false;
  }

  /** Access tokens end early: the Calendar API answers 401 until the client refreshes. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.valid = false;
  }

  acceptsToken(token: string): boolean {
    const entry = this.accessTokens.get(token);
    return !!entry && entry.valid && !entry.grant.revoked;
  }

  handle(method: string, path: string, body: string, send: (status: number, body?: unknown) => void): boolean {
    if (method === 'POST' && path === '/token') {
      this.token(new URLSearchParams(body), send);
      return true;
    }
    if (method === 'POST' && path === '/revoke') {
      const token = new URLSearchParams(body).get('token') ?? '';
      const grant = this.grants.get(token) ?? this.accessTokens.get(token)?.grant;
      if (!grant || grant.revoked) {
        send(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
        return true;
      }
      grant.revoked = true;
      this.revoked.push(token);
      for (const entry of this.accessTokens.values()) if (entry.grant === grant) entry.valid = false;
      send(200, {});
      return true;
    }
    return false;
  }

  private token(form: URLSearchParams, send: (status: number, body?: unknown) => void): void {
    if (form.get('client_id') !== this.client.clientId || form.get('client_secret') !== this.client.clientSecret) {
      return send(401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.used) return send(400, { error: 'invalid_grant', error_description: 'Bad Request' });
      if (code.redirectUri !== form.get('redirect_uri')) return send(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      code.used = true;
      const grant: Grant = { refreshToken: `1//0g${randomBytes(24).toString('base64url')}`, scopes: code.scopes, revoked: false };
      this.grants.set(grant.refreshToken, grant);
      return send(200, { ...this.issue(grant), ...(code.offline && { refresh_token: grant.refreshToken }) });
    }
    if (grantType === 'refresh_token') {
      this.refreshes++;
      const grant = this.grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return send(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return send(200, this.issue(grant));
    }
    send(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` });
  }

  private issue(grant: Grant) {
    const accessToken = `ya29.a0${randomUUID().replace(/-/g, '')}`;
    this.accessTokens.set(accessToken, { grant, valid: true });
    return { access_token: accessToken, expires_in: this.expiresIn, scope: grant.scopes.join(' '), token_type: 'Bearer' };
  }
}
