import { Injectable } from '@nestjs/common';
import { DomainError } from '@optline/core';
import { GoogleCalendarClientFactory } from '../client/google-calendar-client.factory';

const TIMEOUT_MS = 10_000;

export interface GoogleTokens {
  accessToken: string;
  /** Present on the first consent with `access_type=offline` and `prompt=consent`. */
  refreshToken: string | null;
  expiresIn: number;
  scopes: string[];
}

/** Google refused the grant (`invalid_grant`: a used, expired or foreign code, or a revoked refresh token). */
export class GoogleGrantRefused extends Error {
  override name = 'GoogleGrantRefused';

  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Google's OAuth 2.0 token endpoint for the authorization-code grant and the revocation endpoint,
 * form-encoded as Google documents them. Refreshes are the auth library's (GoogleCalendarClientFactory).
 */
@Injectable()
export class GoogleOAuthClient {
  constructor(private readonly clients: GoogleCalendarClientFactory) {}

  async exchangeCode(input: { clientId: string; clientSecret: string; redirectUri: string; code: string }): Promise<GoogleTokens> {
    const { status, body } = await this.post(this.clients.oauthEndpoints.tokenUrl, {
      code: input.code,
      client_id: input.clientId,
      client_secret: input.clientSecret,
      redirect_uri: input.redirectUri,
      grant_type: 'authorization_code',
    });
    if (status === 200 && typeof body?.access_token === 'string') {
      return {
        accessToken: body.access_token,
        refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
        expiresIn: Number(body.expires_in) || 3599,
        scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [],
      };
    }
    if (status >= 500 || status === 429) throw new DomainError('unavailable', 'google_unavailable', `Google answered ${status} at its token endpoint`);
    const error = typeof body?.error === 'string' ? body.error : `HTTP_${status}`;
    throw new GoogleGrantRefused(error, `${error}: ${typeof body?.error_description === 'string' ? body.error_description : `HTTP ${status}`}`);
  }

  /** Revokes the grant (the refresh token and its access tokens). A token Google no longer knows counts as revoked. */
  async revoke(token: string): Promise<void> {
    const { status } = await this.post(this.clients.oauthEndpoints.revokeUrl, { token });
    if (status >= 500) throw new DomainError('unavailable', 'google_unavailable', `Google answered ${status} to the revocation`);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Google's JSON, read field by field above
  private async post(url: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('unavailable', 'google_unreachable', `Google could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    try {
      return { status: response.status, body: text ? JSON.parse(text) : null };
    } catch {
      return { status: response.status, body: null };
    }
  }
}
