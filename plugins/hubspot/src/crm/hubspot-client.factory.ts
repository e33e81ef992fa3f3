import { Injectable, Optional } from '@nestjs/common';
import { Client } from '@hubspot/api-client';
import { AppConfig } from '@optline/core';

export interface HubspotApiOptions {
  /** Where the API lives (CRM, OAuth tokens, webhook subscriptions); HUBSPOT_API_URL, tests point it at a local fake. */
  basePath: string;
  /** Where the browser is sent to approve the app (HubSpot's consent page); HUBSPOT_APP_URL. */
  appUrl: string;
  /** Attempts per call, the first included, for 429/5xx. */
  maxAttempts: number;
  /** First backoff wait; doubled per attempt (Retry-After wins when HubSpot sends one). */
  baseDelayMs: number;
  /** Time a webhook may spend on HubSpot calls: HubSpot counts an answer after 5 s as failed. */
  webhookBudgetMs: number;
  /** Time a background job (write-back) may spend, retries included, before Bull's own retry takes over. */
  jobBudgetMs: number;
}

export const DEFAULT_HUBSPOT_API_OPTIONS: HubspotApiOptions = {
  basePath: 'https://api.hubapi.com',
  appUrl: 'https://app.hubspot.com',
  maxAttempts: 4,
  baseDelayMs: 500,
  webhookBudgetMs: 3500,
  jobBudgetMs: 15_000,
};

/**
 * Builds @hubspot/api-client clients. The one place that knows the API's address, so tests (and
 * an egress proxy) can redirect every HubSpot call with `configure({ basePath })`.
 */
@Injectable()
export class HubspotClientFactory {
  private current: HubspotApiOptions = { ...DEFAULT_HUBSPOT_API_OPTIONS };

  constructor(@Optional() config?: AppConfig) {
    if (config?.HUBSPOT_API_URL) this.current.basePath = config.HUBSPOT_API_URL.replace(/\/+$/, '');
    if (config?.HUBSPOT_APP_URL) this.current.appUrl = config.HUBSPOT_APP_URL.replace(/\/+$/, '');
  }

  get options(): Readonly<HubspotApiOptions> {
    return this.current;
  }

  configure(patch: Partial<HubspotApiOptions>): void {
    this.current = { ...this.current, ...patch };
  }

  /**
   * A client for one access token. The library's own retry is off (`numberOfApiCallRetries: 0`):
   * it waits 10 s per attempt on TEN_SECONDLY_ROLLING, longer than HubSpot waits for our answer,
   * so HubspotCrmService retries within a deadline instead.
   */
  create(accessToken: string): Client {
    return new Client({ accessToken, basePath: this.current.basePath, numberOfApiCallRetries: 0 });
  }
}
