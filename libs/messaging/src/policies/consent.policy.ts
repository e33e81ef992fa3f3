import type { ConsentMessageType, ConsentState } from '@optline/consent';
import { block, pass, PolicyContext, PolicyDecision, SendPolicy } from './send-policy';

/** A STOP confirmation must follow the STOP within this long (FCC: within 5 minutes). */
export const STOP_CONFIRMATION_WINDOW_MS = 5 * 60_000;

const REFUSAL: Record<Exclude<ConsentState, 'opted_in'>, string> = { none: 'no_consent', pending: 'pending_opt_in', opted_out: 'opted_out' };

function anyIn(consent: Record<ConsentMessageType, ConsentState>, state: ConsentState): boolean {
  return Object.values(consent).includes(state);
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function after(at: Date | undefined, since: Date | null): boolean {
  return at !== undefined && (since === null || at > since);
}

/**
 * 2. Consent for the message's type (docs/decisions/0042):
 * - marketing needs `opted_in`;
 * - transactional goes unless the person opted out (the number was given for it);
 * - conversational needs `opted_in` in the workspace's "consent" mode — otherwise the message is
 *   held and an opt-in request goes out — and goes unless opted out in "disclaimer" mode;
 * - system messages follow docs/compliance.md: HELP always; one STOP confirmation, within 5 minutes;
 *   one opt-in request per pending period and never after STOP, and only to someone who asked
 *   (a pending opt-in on record: a ticked form box, an invitation, a JOIN) or whose held text it
 *   answers (decision 0160); confirmations only once opted in.
 */
export class ConsentPolicy implements SendPolicy {
  readonly name = 'consent';

  evaluate(context: PolicyContext): PolicyDecision {
    const { message, consent } = context;
    if (message.type === 'system') return this.system(context);
    const state = consent[message.type];
    if (state === 'opted_in') return pass('opted_in');
    if (state === 'opted_out') return block('opted_out');
    if (message.type === 'transactional') return pass('transactional_not_opted_out', { state });
    if (message.type === 'conversational') {
      if (context.workspace.optInMode === 'disclaimer') return pass('disclaimer_mode', { state });
      return { outcome: 'hold', reason: 'awaiting_opt_in', detail: { state } };
    }
    return block(REFUSAL[state], { state });
  }

  private system(context: PolicyContext): PolicyDecision {
    const { message, consent, history, now } = context;
    switch (message.systemKind) {
      case 'help':
        return pass('help_always_answered');
      case 'stop_confirmation': {
        if (!anyIn(consent, 'opted_out')) return block('not_opted_out');
        if (now.getTime() - message.createdAt.getTime() > STOP_CONFIRMATION_WINDOW_MS) return block('stop_confirmation_late');
        if (after(history.lastSystemHandoff.stop_confirmation, history.lastOptInKeywordAt)) return block('stop_confirmation_already_sent');
        return pass('one_stop_confirmation');
      }
      case 'opt_in_request': {
        // A request that answers a held text asks for conversational consent: once given, there is nothing to ask.
        if (message.answersHeld && consent.conversational === 'opted_in') return block('already_opted_in', { note: 'conversational consent is already given' });
        if (anyIn(consent, 'opted_out')) {
          if (!message.reoptIn || context.workspace.optInMode !== 'consent') return block('opted_out', { note: 'after STOP only START resubscribes' });
          // The person wrote again after STOP: one request per new message period since the STOP.
          const since = latest(history.lastOptInKeywordAt, history.lastSystemHandoff.stop_confirmation ?? null);
          if (after(history.lastSystemHandoff.opt_in_request, since)) return block('opt_in_request_already_sent');
          return pass('client_wrote_after_opt_out');
        }
        if (consent.conversational === 'opted_in' && consent.marketing === 'opted_in') return block('already_opted_in');
        if (after(history.lastSystemHandoff.opt_in_request, history.lastOptInKeywordAt)) return block('opt_in_request_already_sent');
        if (!anyIn(consent, 'pending') && !(message.answersHeld && context.workspace.optInMode === 'consent')) {
          return block('no_pending_opt_in', { note: 'nobody asked: no pending opt-in is recorded for this contact' });
        }
        return pass('one_opt_in_request');
      }
      case 'start_confirmation':
      case 'opt_in_confirmation':
        return anyIn(consent, 'opted_in') ? pass('opted_in') : block('not_opted_in');
      default:
        return block('unknown_system_kind', { systemKind: message.systemKind });
    }
  }
}
