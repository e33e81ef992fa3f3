import { ConsentPolicy } from './consent.policy';
import { DuplicateKeyPolicy } from './duplicate-key.policy';
import { FrequencyCapPolicy } from './frequency-cap.policy';
import { QuietHoursPolicy } from './quiet-hours.policy';
import { PolicyContext, PolicyDecision, SendPolicy } from './send-policy';
import { SuppressionPolicy } from './suppression.policy';

export interface PolicyTraceItem extends PolicyDecision {
  policy: string;
}

export interface ChainResult {
  /** The first refusal, or the last pass. */
  decision: PolicyDecision & { policy: string };
  trace: PolicyTraceItem[];
}

/** The policies in the order docs/messaging.md gives. */
export const SEND_POLICIES: SendPolicy[] = [new SuppressionPolicy(), new ConsentPolicy(), new QuietHoursPolicy(), new FrequencyCapPolicy(), new DuplicateKeyPolicy()];

/**
 * Runs the policies in order. At send time the first refusal decides and the rest are not asked
 * (`all: false`); `POST /v1/messages/check` asks every one to explain each reason (`all: true`).
 */
export function runPolicies(context: PolicyContext, options: { all: boolean }, policies: SendPolicy[] = SEND_POLICIES): ChainResult {
  const trace: PolicyTraceItem[] = [];
  let decisive: PolicyTraceItem | undefined;
  for (const policy of policies) {
    const item = { policy: policy.name, ...policy.evaluate(context) };
    trace.push(item);
    if (item.outcome !== 'pass' && !decisive) {
      decisive = item;
      if (!options.all) break;
    }
  }
  return { decision: decisive ?? trace[trace.length - 1], trace };
}
