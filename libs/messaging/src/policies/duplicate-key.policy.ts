import { pass, PolicyContext, PolicyDecision, SendPolicy } from './send-policy';

/**
 * 5. The duplicate key, checked last, just before the hand-off: a message may reach the provider
 * once. Submitting the same idempotency key twice already returns the first message (a unique
 * index); here the row itself must not have been handed off before. A row found `sending` was
 * handed off by an earlier attempt: it is never sent again (law 4). The dispatcher settles such
 * rows before the policies run — left alone while that attempt may still be calling the provider,
 * flagged `ambiguous_handoff` (still `sending`, not `failed`) once it is past any call's timeout.
 */
export class DuplicateKeyPolicy implements SendPolicy {
  readonly name = 'duplicate_key';

  evaluate(context: PolicyContext): PolicyDecision {
    const { message } = context;
    if (message.status === 'sending') {
      return { outcome: 'fail', reason: 'ambiguous_handoff', detail: { note: 'an earlier attempt handed this message to the provider without a known outcome; not re-sent' } };
    }
    if (message.status !== 'queued' && message.status !== 'deferred') {
      return { outcome: 'block', reason: 'already_handled', detail: { status: message.status } };
    }
    return pass('first_handoff', message.idempotencyKey ? { idempotencyKey: message.idempotencyKey } : undefined);
  }
}
