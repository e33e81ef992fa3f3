import type { ProviderFailureKind } from './sms-provider';

/**
 * Twilio error codes that mean something to consent or the suppression list (Twilio's error dictionary;
 * the 300xx mapping is unconfirmed, so it is a table to correct, not logic).
 */
export const TWILIO_ERROR_KINDS: Readonly<Record<string, ProviderFailureKind>> = {
  '21610': 'opt_out', // Attempt to send to unsubscribed recipient (the person replied STOP at Twilio)
  '21211': 'invalid_number', // Invalid 'To' phone number
  '21217': 'invalid_number', // Phone number does not appear to be valid
  '21614': 'invalid_number', // 'To' number is not a valid mobile number (landline)
  '21407': 'invalid_number', // This phone number type does not support SMS
  '30005': 'invalid_number', // Unknown destination handset
  '30006': 'invalid_number', // Landline or unreachable carrier
  '30003': 'permanent', // Unreachable destination handset (may be temporary for the person; not suppressed)
  '30004': 'permanent', // Message blocked
  '30007': 'permanent', // Carrier violation / filtered
  '20429': 'retry', // Too many requests
};

export function twilioErrorKind(code: string | number | null | undefined, httpStatus?: number): ProviderFailureKind {
  const mapped = code === null || code === undefined ? undefined : TWILIO_ERROR_KINDS[String(code)];
  if (mapped) return mapped;
  if (httpStatus !== undefined && (httpStatus === 429 || httpStatus >= 500)) return 'retry';
  return 'permanent';
}
