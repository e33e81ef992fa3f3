import { Injectable } from '@nestjs/common';
import { DomainError, invalidField } from '@optline/core';
import type { InstallationContext } from '@optline/plugin-sdk';
import { HubspotConfigDto } from '../config/hubspot-config.dto';
import { HubspotClientFactory } from '../crm/hubspot-client.factory';

/** One webhook subscription of the app, as HubSpot's webhooks API (v3) names it. */
export interface WantedSubscription {
  eventType: string;
  propertyName?: string;
}

/**
 * What the plugin turns into events (decision 0112): new contacts, lifecycle and deal stages, and
 * deletions (which erase the person here).
 */
export const WANTED_SUBSCRIPTIONS: readonly WantedSubscription[] = [
  { eventType: 'contact.creation' },
  { eventType: 'contact.propertyChange', propertyName: 'lifecyclestage' },
  { eventType: 'deal.propertyChange', propertyName: 'dealstage' },
  { eventType: 'contact.deletion' },
  { eventType: 'contact.privacyDeletion' },
];

interface RemoteSubscription {
  id: number | string;
  eventType: string;
  propertyName?: string;
  active: boolean;
}

export interface SubscriptionOutcome {
  targetUrl: string;
  created: string[];
  activated: string[];
  at: string;
}

const TIMEOUT_MS = 10_000;
const label = (s: WantedSubscription) => (s.propertyName ? `${s.eventType} (${s.propertyName})` : s.eventType);

/**
 * The app's webhook target URL and subscriptions, set through HubSpot's webhooks API
 * (`/webhooks/v3/{appId}/settings` and `/subscriptions`, authorised by the developer account's
 * API key as `hapikey`). HubSpot keeps them per app, not per portal, and a private app's can only
 * be edited in HubSpot's UI: without `appId` and `developerApiKey` the console lists what to set.
 */
@Injectable()
export class HubspotSubscriptionService {
  constructor(private readonly clients: HubspotClientFactory) {}

  canManage(config: HubspotConfigDto): boolean {
    return !!config.appId && !!config.developerApiKey;
  }

  /** Idempotent: the target URL set once, missing subscriptions created, paused ones activated. */
  async ensure(installation: InstallationContext<HubspotConfigDto>, now: Date): Promise<SubscriptionOutcome> {
    const { appId, developerApiKey } = installation.config;
    const base = `/webhooks/v3/${appId}`;
    const settings = await this.call('GET', `${base}/settings`, developerApiKey!);
    // 404: the app has no settings yet. Either way PUT makes the installation's URL the target.
    if (settings.status === 404 || settings.body?.targetUrl !== installation.webhookUrl) {
      await this.call('PUT', `${base}/settings`, developerApiKey!, { targetUrl: installation.webhookUrl, throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' } }, [200, 201]);
    }
    const list = await this.call('GET', `${base}/subscriptions`, developerApiKey!, undefined, [200]);
    const existing: RemoteSubscription[] = Array.isArray(list.body?.results) ? list.body.results : [];
    const created: string[] = [];
    const activated: string[] = [];
    for (const wanted of WANTED_SUBSCRIPTIONS) {
      const match = existing.find((s) => s.eventType === wanted.eventType && (s.propertyName ?? undefined) === wanted.propertyName);
      if (!match) {
        await this.call('POST', `${base}/subscriptions`, developerApiKey!, { eventType: wanted.eventType, ...(wanted.propertyName && { propertyName: wanted.propertyName }), active: true }, [200, 201]);
        created.push(label(wanted));
      } else if (!match.active) {
        await this.call('PATCH', `${base}/subscriptions/${match.id}`, developerApiKey!, { active: true }, [200]);
        activated.push(label(wanted));
      }
    }
    return { targetUrl: installation.webhookUrl, created, activated, at: now.toISOString() };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- HubSpot's JSON, read field by field above
  private async call(method: string, path: string, apiKey: string, body?: unknown, ok?: number[]): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await fetch(`${this.clients.options.basePath}${path}?hapikey=${encodeURIComponent(apiKey)}`, {
        method,
        headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError('unavailable', 'hubspot_unreachable', `HubSpot could not be reached to set the webhook subscriptions: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.status === 401 || response.status === 403) {
      throw invalidField('config.developerApiKey', `HubSpot refused the developer API key for app ${path.split('/')[3]} (${response.status})`, 'hubspot_developer_key_refused');
    }
    if (response.status === 404 && path.endsWith('/subscriptions')) throw invalidField('config.appId', 'HubSpot has no app with this id in the developer account', 'hubspot_app_not_found');
    if (response.status >= 500) throw new DomainError('unavailable', 'hubspot_unavailable', `HubSpot answered ${response.status} to ${method} ${path.replace(/\?.*$/, '')}`);
    if (ok && !ok.includes(response.status)) {
      const message = (parsed as { message?: unknown } | null)?.message;
      throw new DomainError('unprocessable', 'hubspot_subscription_refused', `HubSpot refused ${method} ${path}: ${typeof message === 'string' ? message : `HTTP ${response.status}`}`);
    }
    return { status: response.status, body: parsed };
  }
}
