import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeHubspotCrm, HubspotVendorExtension } from './hubspot-crm.fake';

export const HUBSPOT_APP = {
  clientId: '5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  clientSecret: 'hubspot-app-client-secret-0001',
  appId: 2046017,
  developerApiKey: 'dddddddd-1111-4222-8333-444444444444',
};

export interface HubspotPortal {
  hubId: number;
  hubDomain: string;
  user: string;
  scopes: string[];
}

interface Grant {
  refreshToken: string;
  redirectUri: string;
  portal: HubspotPortal;
  revoked: boolean;
}

interface Subscription {
  id: number;
  createdAt: number;
  eventType: string;
  propertyName?: string;
  active: boolean;
}

const correlation = () => ({ correlationId: randomUUID(), requestId: randomUUID() });

/**
 * HubSpot's OAuth and webhooks (v3) endpoints on the fake CRM's server, in HubSpot's wire format:
 * `POST /oauth/v1/token` (form-encoded authorization_code and refresh_token grants; 400 with
 * `BAD_AUTH_CODE`, `BAD_REFRESH_TOKEN`, `BAD_CLIENT_ID`, `BAD_REDIRECT_URI`), token
 * introspection, refresh-token revocation, and the app's webhook settings and subscriptions
 * authorised by `hapikey`. The consent page is the test's: `approve()` is what HubSpot does when
 * the admin clicks "Connect app".
 */
export class HubspotOAuthFake implements HubspotVendorExtension {
  readonly subscriptions: Subscription[] = [];
  settings: { targetUrl: string; throttling: unknown; createdAt: string; updatedAt: string } | null = null;
  /** Refreshes HubSpot answered (successful or not). */
  refreshes = 0;
  private readonly codes = new Map<string, { redirectUri: string; portal: HubspotPortal; used: boolean }>();
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, { grant: Grant; valid: boolean }>();
  private nextSubscriptionId = 1001;

  constructor(
    private readonly app = HUBSPOT_APP,
    readonly portal: HubspotPortal = {
      hubId: 61829414,
      hubDomain: 'harbor-dental.hubspot.com',
      user: 'owner@harbor-dental.example',
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.schemas.contacts.read', 'crm.objects.deals.read'],
    },
  ) {}

  static attachTo(crm: FakeHubspotCrm, app = HUBSPOT_APP): HubspotOAuthFake {
    const fake = new HubspotOAuthFake(app);
    crm.attach(fake);
    return fake;
  }

  /** The admin approved at HubSpot's consent page: the code HubSpot puts on the redirect. */
  approve(authorizeUrl: string, portal: Partial<HubspotPortal> = {}): { code: string; redirect: string } {
    const url = new URL(authorizeUrl);
    const redirectUri = url.searchParams.get('redirect_uri')!;
    const code = randomUUID();
    this.codes.set(code, { redirectUri, portal: { ...this.portal, ...portal }, used: false });
    const redirect = new URL(redirectUri);
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
    return { code, redirect: `${redirect.pathname}${redirect.search}` };
  }

  /** The portal's admin uninstalled the app (or revoked it): every token of it stops working. */
  uninstall(): void {
    for (const grant of this.grants.values()) grant.revoked = true;
    for (const token of this.accessTokens.values()) token.valid = false;
  }

  /** Access tokens reach their 30 minutes: the CRM answers 401 until the hub refreshes. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.valid = false;
  }

  revokedRefreshTokens(): string[] {
    return [...this.grants.values()].filter((g) => g.revoked).map((g) => g.refreshToken);
  }

  acceptsToken(token: string): boolean {
    const entry = this.accessTokens.get(token);
    return !!entry && entry.valid && !entry.grant.revoked;
  }

  handle(method: string, url: URL, body: string, answer: (status: number, payload: unknown) => void): boolean {
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/oauth/v1/token') {
      this.token(new URLSearchParams(body), answer);
      return true;
    }
    if (method === 'GET' && (m = path.match(/^\/oauth\/v1\/access-tokens\/(.+)$/))) {
      const token = decodeURIComponent(m[1]);
      const entry = this.accessTokens.get(token);
      if (!entry || !entry.valid) {
        answer(404, { status: 'error', message: 'Token not found', ...correlation() });
        return true;
      }
      const p = entry.grant.portal;
      answer(200, { token, user: p.user, hub_domain: p.hubDomain, scopes: p.scopes, hub_id: p.hubId, app_id: this.app.appId, expires_in: 1800, user_id: 7734112, token_type: 'access' });
      return true;
    }
    if (method === 'DELETE' && (m = path.match(/^\/oauth\/v1\/refresh-tokens\/(.+)$/))) {
      const grant = this.grants.get(decodeURIComponent(m[1]));
      if (grant) {
        grant.revoked = true;
        for (const token of this.accessTokens.values()) if (token.grant === grant) token.valid = false;
      }
      answer(204, undefined);
      return true;
    }
    if ((m = path.match(/^\/webhooks\/v3\/(\d+)\/(settings|subscriptions)(?:\/(\d+))?$/))) {
      this.webhooks(method, Number(m[1]), m[2], m[3], url.searchParams.get('hapikey'), body, answer);
      return true;
    }
    return false;
  }

  private token(form: URLSearchParams, answer: (status: number, payload: unknown) => void): void {
    if (form.get('client_id') !== this.app.clientId || form.get('client_secret') !== this.app.clientSecret) {
      return answer(400, { status: 'BAD_CLIENT_ID', message: 'missing or invalid client id', ...correlation() });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.used) return answer(400, { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code', ...correlation() });
      if (code.redirectUri !== form.get('redirect_uri')) return answer(400, { status: 'BAD_REDIRECT_URI', message: 'redirect URI does not match initial auth code URI', ...correlation() });
      code.used = true;
      const grant: Grant = { refreshToken: `na1-${randomUUID()}`, redirectUri: code.redirectUri, portal: code.portal, revoked: false };
      this.grants.set(grant.refreshToken, grant);
      return answer(200, this.issue(grant));
    }
    if (grantType === 'refresh_token') {
      this.refreshes++;
      const grant = this.grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return answer(400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token', ...correlation() });
      return answer(200, this.issue(grant));
    }
    answer(400, { status: 'BAD_GRANT_TYPE', message: `unsupported grant_type ${grantType ?? ''}`, ...correlation() });
  }

  private issue(grant: Grant) {
    const accessToken = `CJ${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(accessToken, { grant, valid: true });
    return { token_type: 'bearer', refresh_token: grant.refreshToken, access_token: accessToken, expires_in: 1800 };
  }

  private webhooks(method: string, appId: number, kind: string, id: string | undefined, hapikey: string | null, body: string, answer: (status: number, payload: unknown) => void): void {
    if (hapikey !== this.app.developerApiKey) {
      return answer(401, { status: 'error', message: 'The API key provided is invalid.', category: 'INVALID_AUTHENTICATION', ...correlation() });
    }
    if (appId !== this.app.appId) return answer(404, { status: 'error', message: `App ${appId} not found`, category: 'OBJECT_NOT_FOUND', ...correlation() });
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const now = new Date().toISOString();
    if (kind === 'settings') {
      if (method === 'GET') return this.settings ? answer(200, this.settings) : answer(404, { status: 'error', message: 'No settings for this app', category: 'OBJECT_NOT_FOUND', ...correlation() });
      if (method === 'PUT') {
        this.settings = { targetUrl: String(input.targetUrl), throttling: input.throttling, createdAt: this.settings?.createdAt ?? now, updatedAt: now };
        return answer(200, this.settings);
      }
    }
    if (kind === 'subscriptions') {
      if (method === 'GET' && !id) return answer(200, { results: this.subscriptions });
      if (method === 'POST' && !id) {
        const duplicate = this.subscriptions.find((s) => s.eventType === input.eventType && s.propertyName === input.propertyName);
        if (duplicate) return answer(409, { status: 'error', message: 'Subscription already exists', category: 'CONFLICT', ...correlation() });
        const created: Subscription = { id: this.nextSubscriptionId++, createdAt: Date.now(), eventType: String(input.eventType), ...(typeof input.propertyName === 'string' && { propertyName: input.propertyName }), active: input.active !== false };
        this.subscriptions.push(created);
        return answer(201, created);
      }
      if (method === 'PATCH' && id) {
        const found = this.subscriptions.find((s) => s.id === Number(id));
        if (!found) return answer(404, { status: 'error', message: 'Subscription not found', category: 'OBJECT_NOT_FOUND', ...correlation() });
        found.active = input.active !== false;
        return answer(200, found);
      }
    }
    answer(405, { status: 'error', message: `${method} not allowed`, ...correlation() });
  }
}
