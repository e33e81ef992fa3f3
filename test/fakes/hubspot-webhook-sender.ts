import { createHmac } from 'node:crypto';
import type { TestHub } from '../utils/test-hub';

/**
 * Signs requests the way HubSpot does (v3: base64 HMAC-SHA256 over method + URI + body +
 * timestamp), written from HubSpot's request-validation documentation independently of the plugin's verifier so a test does
 * not check the code against itself.
 */
export function hubspotV3Signature(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

export interface SendOptions {
  /** Epoch ms for X-HubSpot-Request-Timestamp; the hub clock's now by default. */
  timestamp?: number;
  /** Sign with another secret. */
  secret?: string;
  /** Query string HubSpot calls with, e.g. `?event=appointment.booked`. */
  query?: string;
  /** Sign this URI instead of the one called (to simulate an altered URI). */
  signedUri?: string;
  /** Send these bytes instead of the signed ones (to simulate an altered body). */
  sentBody?: string;
}

/** Delivers HubSpot webhooks to one installation of a TestHub, signed by the test. */
export class HubspotWebhookSender {
  constructor(
    private readonly hub: TestHub,
    readonly installationId: string,
    private readonly clientSecret: string,
  ) {}

  get path(): string {
    return `/hooks/hubspot/${this.installationId}`;
  }

  /** The URL HubSpot calls: the hub's PUBLIC_URL plus the path. */
  uri(query = ''): string {
    return `${this.hub.config.publicUrl}${this.path}${query}`;
  }

  send(payload: unknown, options: SendOptions = {}) {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const timestamp = String(options.timestamp ?? this.hub.clock.nowMs());
    const query = options.query ?? '';
    const signature = hubspotV3Signature(options.secret ?? this.clientSecret, 'POST', options.signedUri ?? this.uri(query), body, timestamp);
    return this.hub
      .http()
      .post(`${this.path}${query}`)
      .set('Content-Type', 'application/json')
      .set('X-HubSpot-Signature-v3', signature)
      .set('X-HubSpot-Request-Timestamp', timestamp)
      .send(options.sentBody ?? body);
  }
}
