import { Injectable } from '@nestjs/common';
import { DomainError } from '@optline/core';
import { HubspotClientFactory } from '../crm/hubspot-client.factory';

const TIMEOUT_MS = 10_000;

/** HubSpot's answer at `POST /oauth/v1/token`. */
export interface HubspotTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives (HubSpot: 1800). */
  expiresIn: number;
}

/** What `GET /oauth/v1/access-tokens/{token}` says about a token: the portal and user that approved it. */
export interface HubspotTokenInfo {
  hubId: number;
  hubDomain: string | null;
  user: string | null;
  scopes: string[];
}

/**
 * HubSpot refused a grant: `BAD_AUTH_CODE` / `EXPIRED_AUTH_CODE` for a code, `BAD_REFRESH_TOKEN`
 * for a refresh token that was revoked or belongs to an uninstalled app, or the standard
 * `invalid_grant`. Retrying cannot help; the admin must connect again.
 */
export class HubspotGrantRefused extends Error {
  override name = 'HubspotGrantRefused';

  constructor(
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * HubSpot's OAuth endpoints (api.hubapi.com, or HUBSPOT_API_URL): the code and refresh-token
 * grants as `application/x-www-form-urlencoded`, token introspection, and revocation of a
 * refresh token.
 */
@Injectable()
export class HubspotOAuthClient {
  constructor(private readonly clients: HubspotClientFactory) {}

  exchangeCode(input: { clientId: string; clientSecret: string; redirectUri: string; code: string }): Promise<HubspotTokens> {
    return this.grant({ grant_type: 'authorization_code', client_id: input.clientId, client_secret: input.clientSecret, redirect_uri: input.redirectUri, code: input.code });
  }

  refresh(input: { clientId: string; clientSecret: string; redirectUri: string; refreshToken: string }): Promise<HubspotTokens> {
    return this.grant({ grant_type: 'refresh_token', client_id: input.clientId, client_secret: input.clientSecret, redirect_uri: input.redirectUri, refresh_token: input.refreshToken });
  }

  async tokenInfo(accessToken: string): Promise<HubspotTokenInfo> {
    const { status, body } = await this.request('GET', `/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`);
    if (status !== 200 || typeof body?.hub_id !== 'number') throw new DomainError('unavailable', 'hubspot_unavailable', `HubSpot did not describe the new token (HTTP ${status})`);
    return {
      hubId: body.hub_id,
      hubDomain: typeof body.hub_domain === 'string' ? body.hub_domain : null,
      user: typeof body.user === 'string' ? body.user : null,
      scopes: Array.isArray(body.scopes) ? body.scopes.filter((s: unknown): s is string => typeof s === 'string') : [],
    };
  }

  /** `DELETE /oauth/v1/refresh-tokens/{token}`: the app loses access to the portal. A token HubSpot no longer knows counts as revoked. */
  async revoke(refreshToken: string): Promise<void> {
    const { status } = await this.request('DELETE', `/oauth/v1/refresh-tokens/${encodeURIComponent(refreshToken)}`);
    if (status >= 500) throw new DomainError('unavailable', 'hubspot_unavailable', `HubSpot answered ${status} to the revocation`);
  }

  private async grant(form: Record<string, string>): Promise<HubspotTokens> {
    const { status, body } = await this.request('POST', '/oauth/v1/token', new URLSearchParams(form).toString());
    if (status === 200 && typeof body?.access_token === 'string' && typeof body.refresh_token === 'string') {
      return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: Number(body.expires_in) || 1800 };
    }
    if (status >= 500 || status === 429) throw new DomainError('unavailable', 'hubspot_unavailable', `HubSpot answered ${status} at its token endpoint`);
    const code = typeof body?.status === 'string' && body.status !== 'error' ? body.status : typeof body?.error === 'string' ? body.error : `HTTP_${status}`;
    const reason = typeof body?.message === 'string' ? body.message : typeof body?.error_description === 'string' ? body.error_description : `HTTP ${status}`;
    throw new HubspotGrantRefused(code, `${code}: ${reason}`);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- HubSpot's JSON, read field by field above
  private async request(method: string, path: string, form?: string): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await fetch(`${this.clients.options.basePath}${path}`, {
        method,
        headers: { accept: 'application/json', ...(form !== undefined && { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }) },
        body: form,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('unavailable', 'hubspot_unreachable', `HubSpot could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, body };
  }
}
