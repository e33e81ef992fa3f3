// Words for what the hub reports about a text and about a contact's opt-in; pure, unit-tested.
import type { BadgeTone } from '../../components/ui';

export interface EntryLike {
  direction: string;
  role: string;
  status: string | null;
  reason: string | null;
  held: boolean;
  blocked: boolean;
  consumedByFlow: boolean;
}

export interface StatusWords {
  label: string;
  tone: BadgeTone;
  /** Why, in a sentence, when the label alone would not say it. */
  detail?: string;
}

const REASONS: Record<string, string> = {
  awaiting_opt_in: 'Waiting for the client to reply YES',
  opted_out: 'The client opted out (STOP)',
  suppressed: 'The number is on the suppression list',
  quiet_hours: 'Held for quiet hours',
  frequency_cap: 'The frequency cap was reached',
  no_consent: 'No consent to text this person',
};

export function reasonText(reason: string | null): string | undefined {
  if (!reason) return undefined;
  return REASONS[reason] ?? reason.replace(/_/g, ' ');
}

/** The badge under a text: held, queued, sent, delivered, failed or blocked, and why. */
export function describeStatus(entry: EntryLike): StatusWords | null {
  if (entry.direction === 'notice') return null;
  if (entry.direction === 'inbound') {
    if (entry.held) return { label: 'held until YES', tone: 'warning', detail: 'The client wrote first; their text shows once they reply YES' };
    return entry.consumedByFlow ? { label: 'answered a flow', tone: 'info' } : null;
  }
  if (entry.held || entry.status === 'held') {
    return entry.reason === 'awaiting_opt_in' || entry.reason === null
      ? { label: 'held until opt-in', tone: 'warning', detail: 'Will be sent when the client replies YES' }
      : { label: 'held', tone: 'warning', detail: reasonText(entry.reason) };
  }
  if (entry.blocked || entry.status === 'blocked') return { label: 'blocked', tone: 'danger', detail: reasonText(entry.reason) ?? 'Refused by a sending policy' };
  switch (entry.status) {
    case 'queued':
    case 'sending':
      return { label: 'queued', tone: 'neutral' };
    case 'deferred':
      return { label: 'deferred', tone: 'warning', detail: reasonText(entry.reason) };
    case 'sent':
      return { label: 'sent', tone: 'info' };
    case 'delivered':
      return { label: 'delivered', tone: 'success' };
    case 'failed':
    case 'undelivered':
      return { label: entry.status, tone: 'danger', detail: reasonText(entry.reason) ?? 'The carrier did not deliver it' };
    default:
      return entry.status ? { label: entry.status.replace(/_/g, ' '), tone: 'neutral' } : null;
  }
}

export interface OptInWords {
  label: string;
  tone: BadgeTone;
  /** What this means for the agent writing now. */
  detail: string;
}

/** The contact's conversational opt-in as the top of a conversation shows it. */
export function describeOptIn(state: string, awaitingOptIn: boolean, mode: string | undefined): OptInWords {
  if (state === 'opted_out') return { label: 'Opted out', tone: 'danger', detail: 'They replied STOP. Nobody can text them until they write again and reply YES, or text START.' };
  if (state === 'opted_in') return { label: 'Opted in', tone: 'success', detail: 'Texts go out as you send them.' };
  if (mode === 'disclaimer') return { label: 'Disclaimer mode', tone: 'info', detail: 'No YES needed: your first text is preceded by a disclaimer naming you.' };
  if (awaitingOptIn) return { label: 'Waiting for opt-in', tone: 'warning', detail: 'An opt-in request was sent. Your texts are held until they reply YES.' };
  return { label: 'Not opted in', tone: 'neutral', detail: 'Your first text is held and they are asked to reply YES.' };
}
