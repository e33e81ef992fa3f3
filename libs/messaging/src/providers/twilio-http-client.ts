import { classifyNetworkError } from './sms-provider';

/** The subset of the twilio SDK's RequestClient options our client receives. */
export interface TwilioRequestOptions {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

export interface TwilioResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

function form(values: Record<string, unknown> | undefined): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) out.append(key, String(item));
  }
  return out;
}

/**
 * The HTTP client handed to the twilio SDK (`twilio(sid, token, { httpClient })`). It speaks to
 * api.twilio.com, or to a Twilio-compatible base URL configured for the workspace (a regional
 * proxy, a Twilio-compatible carrier, the local fake in tests). Network failures are classified
 * here, where "did the request leave?" is still known.
 */
export class TwilioHttpClient {
  constructor(private readonly apiBaseUrl?: string) {}

  async request(opts: TwilioRequestOptions): Promise<TwilioResponse> {
    const url = new URL(opts.uri);
    if (this.apiBaseUrl) {
      const base = new URL(this.apiBaseUrl);
      url.protocol = base.protocol;
      url.host = base.host;
      url.pathname = base.pathname.replace(/\/+$/, '') + url.pathname;
    }
    for (const [key, value] of form(opts.params)) url.searchParams.append(key, value);
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.username) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    const method = opts.method.toUpperCase();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: method === 'GET' || method === 'DELETE' ? undefined : form(opts.data).toString(),
        signal: AbortSignal.timeout(opts.timeout ?? DEFAULT_TIMEOUT_MS),
        redirect: 'manual',
      });
    } catch (error) {
      throw classifyNetworkError(error);
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      // The answer started arriving: Twilio has the request.
      throw classifyNetworkError(error);
    }
    return { statusCode: response.status, body, headers: Object.fromEntries(response.headers.entries()) };
  }
}
