import twilio from 'twilio';

/**
 * Checks `X-Twilio-Signature` (HMAC-SHA1 of the full URL Twilio called plus the sorted POST
 * parameters) with the SDK's own implementation. `url` must be the URL configured at Twilio —
 * rebuilt from PUBLIC_URL, since behind a proxy the request's own host is not what was signed.
 */
export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, unknown>): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/** A TwiML answer carrying zero or more reply texts. */
export function twimlResponse(messages: string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const text of messages) response.message(text);
  return response.toString();
}
