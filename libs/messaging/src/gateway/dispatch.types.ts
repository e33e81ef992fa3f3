import type { SmsProvider } from '../providers/sms-provider';
import type { ResolvedProviderConfig } from '../providers/sms-provider-config.service';

/** What one send attempt did with its message (logged as the job's result). */
export type DispatchResult =
  | 'missing'
  | 'not_outbound'
  | 'already_handled'
  | 'in_flight'
  | 'held'
  | 'early'
  | 'blocked'
  | 'deferred'
  | 'failed'
  | 'ambiguous'
  | 'sent'
  | 'retry'
  | 'not_claimable'
  | 'throttled';

/** An inline dispatch (TwiML replies): the provider to use instead of the workspace's. */
export interface DispatchOptions {
  finalAttempt?: boolean;
  provider?: { provider: SmsProvider; config: ResolvedProviderConfig };
  /**
   * The longest to wait for the sender's rate-limit slot. An inline dispatch (inside a webhook or
   * an API request) waits briefly; without a slot by then, the message goes to its job at once.
   */
  maxSlotWaitMs?: number;
}
