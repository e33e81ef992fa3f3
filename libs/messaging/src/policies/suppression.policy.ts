import { block, pass, PolicyContext, PolicyDecision, SendPolicy } from './send-policy';

/**
 * 1. The suppression list (and an erased contact, who has no number left). Replies to a text the
 * person just sent us — HELP and the one STOP confirmation — still go: the number demonstrably
 * receives texts and the person asked.
 */
export class SuppressionPolicy implements SendPolicy {
  readonly name = 'suppression';

  evaluate(context: PolicyContext): PolicyDecision {
    if (!context.phone) return block('no_phone', { note: 'the contact has no phone number (erased?)' });
    const reply = context.message.systemKind === 'help' || context.message.systemKind === 'stop_confirmation';
    if (context.suppressed && !reply) return block('suppressed');
    return pass(context.suppressed ? 'suppressed_but_reply' : 'not_suppressed');
  }
}
