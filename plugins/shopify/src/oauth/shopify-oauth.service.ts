import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, invalidField, NotFoundError } from '@optline/core';
import { InstallationContext, PluginHost } from '@optline/plugin-sdk';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ShopifyAdminEndpoint } from '../admin/shopify-admin-endpoint';
import { SHOP_DOMAIN_PATTERN, ShopifyConfig } from '../config/shopify-config.dto';
import { verifyShopifyQuery } from './shopify-oauth-hmac';

/** What the plugin calls at the shop: checkouts, orders, shipments, customers and the consent write-back. */
export const SHOPIFY_OAUTH_SCOPES = ['read_checkouts', 'read_orders', 'read_fulfillments', 'read_customers', 'write_customers'] as const;
/** Where the pending authorization lives in the installation's state. */
export const OAUTH_STATE_KEY = 'oauth';
/** A merchant has this long between "Connect" and approving at Shopify. */
const STATE_TTL_MS = 10 * 60 * 1000;
/** Shopify's signed install and callback requests older than a day are refused (replays). */
const MAX_REQUEST_AGE_MS = 24 * 60 * 60 * 1000;
const EXCHANGE_TIMEOUT_MS = 10_000;

interface PendingAuthorization {
  stateHash: string;
  expiresAt: string;
}

const PLUGIN_ID = 'shopify';

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Shopify's authorization-code grant for one installation (decision 0250): the authorize URL with
 * a one-use state nonce (kept hashed, 10 minutes), the signed install and callback requests, and
 * the code exchange whose token is stored sealed like every secret before the installation is
 * enabled (which registers the webhooks).
 */
@Injectable()
export class ShopifyOAuthService {
  private readonly logger = new Logger(ShopifyOAuthService.name);

  constructor(
    private readonly host: PluginHost,
    private readonly endpoint: ShopifyAdminEndpoint,
    private readonly clock: Clock,
  ) {}

  /** The admin's "Connect": where to send the browser. 422 naming `config.clientId` when the app's id is not set. */
  async authorizeUrl(installation: InstallationContext<ShopifyConfig>): Promise<string> {
    const config = installation.config;
    if (!config.clientId) throw invalidField('config.clientId', "config.clientId (the app's client id) is required for the OAuth install");
    const state = randomBytes(24).toString('base64url');
    const pending: PendingAuthorization = { stateHash: sha256(state), expiresAt: new Date(this.clock.now().getTime() + STATE_TTL_MS).toISOString() };
    await this.host.updateState(installation, { [OAUTH_STATE_KEY]: pending });
    const params = new URLSearchParams({ client_id: config.clientId, scope: SHOPIFY_OAUTH_SCOPES.join(','), redirect_uri: this.callbackUrl(installation), state });
    // The browser goes to the real shop even when the Admin API is pointed at a fake: only server calls use the seam.
    return `https://${config.shopDomain}/admin/oauth/authorize?${params.toString()}`;
  }

  callbackUrl(installation: InstallationContext<object>): string {
    return `${installation.webhookUrl}/oauth/callback`;
  }

  /** Shopify's install request (the app URL, opened from the shop's admin): verified, then on to the authorize URL. */
  async install(installationId: string, query: Record<string, string>): Promise<string> {
    const installation = await this.signedInstallation(installationId, query);
    return this.authorizeUrl(installation);
  }

  /** Shopify's redirect after the merchant approved: state, signature and shop checked, code exchanged, installation enabled. */
  async callback(installationId: string, query: Record<string, string>): Promise<{ shopDomain: string; scopes: string[] }> {
    const installation = await this.signedInstallation(installationId, query);
    this.consumeState(installation, query.state);
    // One use: whatever the exchange answers, this state cannot be played again.
    await this.host.updateState(installation, { [OAUTH_STATE_KEY]: null });
    if (typeof query.code !== 'string' || query.code.length === 0 || query.code.length > 512) throw invalidField('code', 'code is required', 'oauth_code_missing');
    const token = await this.exchange(installation.config, query.code);
    const missing = SHOPIFY_OAUTH_SCOPES.filter((s) => !grants(token.scopes, s));
    if (missing.length > 0) throw new DomainError('unprocessable', 'oauth_scope_missing', `Shopify granted ${token.scopes.join(',') || 'no scopes'}; the plugin needs ${missing.join(', ')} too`);
    await this.host.updateState(installation, { grantedScopes: token.scopes, connectedAt: this.clock.now().toISOString() });
    await this.host.connectInstallation(installation, { accessToken: token.accessToken });
    this.logger.log({ installationId, shop: installation.config.shopDomain }, 'Shopify store connected by OAuth');
    return { shopDomain: installation.config.shopDomain, scopes: token.scopes };
  }

  private async signedInstallation(installationId: string, query: Record<string, string>): Promise<InstallationContext<ShopifyConfig>> {
    const installation = await this.host.installation<ShopifyConfig>(PLUGIN_ID, installationId);
    if (!installation) throw new NotFoundError('Shopify installation', installationId);
    const config = installation.config;
    const previousValid = !!config.previousClientSecret && !(config.previousClientSecretExpiresAt && Date.parse(config.previousClientSecretExpiresAt) <= this.clock.now().getTime());
    const secrets = [config.clientSecret, ...(previousValid ? [config.previousClientSecret!] : [])];
    // The signature first, so a forged request learns nothing about which shop is installed here.
    if (!verifyShopifyQuery(query, secrets)) throw new DomainError('unauthorized', 'shopify_hmac_invalid', 'hmac does not match the query under the app secret');
    const shop = typeof query.shop === 'string' ? query.shop.toLowerCase() : '';
    if (!SHOP_DOMAIN_PATTERN.test(shop)) throw invalidField('shop', 'shop must be a <name>.myshopify.com domain', 'shopify_shop_invalid');
    if (shop !== config.shopDomain) throw new DomainError('invalid', 'shopify_shop_mismatch', `shop ${shop} is not this installation's shop`);
    const timestamp = Number(query.timestamp) * 1000;
    if (!Number.isFinite(timestamp) || Math.abs(this.clock.now().getTime() - timestamp) > MAX_REQUEST_AGE_MS) {
      throw new DomainError('unauthorized', 'shopify_request_expired', 'timestamp is missing or more than a day away from now');
    }
    return installation;
  }

  private consumeState(installation: InstallationContext<ShopifyConfig>, state: string | undefined): void {
    const pending = installation.state[OAUTH_STATE_KEY] as PendingAuthorization | null | undefined;
    const valid =
      typeof state === 'string' &&
      !!pending &&
      Date.parse(pending.expiresAt) > this.clock.now().getTime() &&
      timingSafeEqual(Buffer.from(sha256(state), 'hex'), Buffer.from(pending.stateHash, 'hex'));
    if (!valid) throw new DomainError('invalid', 'oauth_state_mismatch', 'state does not match a Connect started for this installation in the last 10 minutes; start again');
  }

  /** `POST https://{shop}/admin/oauth/access_token` with `{client_id, client_secret, code}` → `{access_token, scope}`. */
  private async exchange(config: ShopifyConfig, code: string): Promise<{ accessToken: string; scopes: string[] }> {
    const base = this.endpoint.baseUrlFor(config.shopDomain);
    const url = `${base.protocol}//${base.hostname}${base.port ? `:${base.port}` : ''}/admin/oauth/access_token`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_id: config.clientId, client_secret: config.clientSecret, code }),
        signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('unavailable', 'shopify_unreachable', `Shopify could not be reached to exchange the code: ${error instanceof Error ? error.message : String(error)}`);
    }
    const body = (await response.json().catch(() => null)) as { access_token?: unknown; scope?: unknown; error?: unknown; error_description?: unknown } | null;
    if (!response.ok || typeof body?.access_token !== 'string') {
      const reason = typeof body?.error_description === 'string' ? body.error_description : typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`;
      if (response.status >= 500) throw new DomainError('unavailable', 'shopify_unavailable', `Shopify answered ${response.status} to the code exchange`);
      throw new DomainError('invalid', 'oauth_code_rejected', `Shopify refused the authorization code (used, expired or not for this app): ${reason}`);
    }
    const scopes = typeof body.scope === 'string' ? body.scope.split(',').map((s) => s.trim()).filter(Boolean) : [];
    return { accessToken: body.access_token, scopes };
  }
}

/** Shopify answers only `write_x` when both were asked: a write scope implies its read scope. */
function grants(granted: string[], needed: string): boolean {
  return granted.includes(needed) || (needed.startsWith('read_') && granted.includes(`write_${needed.slice(5)}`));
}
