import twilio from 'twilio';
import { ProviderError } from './sms-provider';
import { TwilioHttpClient } from './twilio-http-client';

/** What a line-type lookup says about one number. */
export interface LineTypeAnswer {
  /** False when the number cannot exist (too short, no such range). */
  valid: boolean;
  /** Twilio Lookup v2's `line_type_intelligence.type`: mobile, landline, fixedVoip, nonFixedVoip, tollFree, ...; null when unknown. */
  lineType: string | null;
  carrierName: string | null;
  /** The lookup's own error code (60601: Canadian data not enabled...), when it answered one. */
  errorCode: string | null;
}

/** A provider's number lookup; only Twilio offers one today. */
export interface LineTypeLookupClient {
  lookup(e164: string): Promise<LineTypeAnswer>;
}

/**
 * Twilio Lookup v2 with the Line Type Intelligence package (`GET /v2/PhoneNumbers/{E164}?Fields=
 * line_type_intelligence` on lookups.twilio.com), through the SDK and the same HTTP client (and
 * base URL) as the workspace's sends. A failure throws ProviderError; the caller decides.
 */
export class TwilioLineTypeLookup implements LineTypeLookupClient {
  private readonly client: twilio.Twilio;

  constructor(options: { accountSid: string; authToken: string; apiBaseUrl?: string }) {
    this.client = twilio(options.accountSid, options.authToken, { httpClient: new TwilioHttpClient(options.apiBaseUrl) as never, autoRetry: false });
  }

  async lookup(e164: string): Promise<LineTypeAnswer> {
    try {
      const found = await this.client.lookups.v2.phoneNumbers(e164).fetch({ fields: 'line_type_intelligence' });
      const info = found.lineTypeIntelligence;
      return {
        valid: found.valid !== false,
        lineType: info?.type ?? null,
        carrierName: info?.carrierName ?? null,
        errorCode: info?.errorCode !== undefined && info?.errorCode !== null ? String(info.errorCode) : null,
      };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      const rest = error as { status?: number; code?: number | string; message?: string };
      throw new ProviderError(rest.status === 429 || (rest.status ?? 500) >= 500 ? 'retry' : 'permanent', rest.code !== undefined ? String(rest.code) : 'lookup_failed', rest.message ?? 'Twilio Lookup failed');
    }
  }
}
