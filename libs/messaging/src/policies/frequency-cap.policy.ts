import { STATE_RULES } from '../quiet-hours/state-windows';
import { block, pass, PolicyContext, PolicyDecision, SendPolicy } from './send-policy';

/** The state cap that applies to a marketing text to a number in `region`, if any (FTSA & co.). */
export function stateCapFor(region: string | null): { count: number; windowHours: number; state: string } | null {
  const rule = region ? STATE_RULES[region.toUpperCase()] : undefined;
  return rule?.cap ? { ...rule.cap, state: region!.toUpperCase() } : null;
}

/**
 * 4. Frequency cap: at most N messages of the capped types (marketing by default) per contact in a
 * rolling window, and the state's own cap for marketing (3 per 24 h in FL, OK, MD).
 */
export class FrequencyCapPolicy implements SendPolicy {
  readonly name = 'frequency_cap';

  evaluate(context: PolicyContext): PolicyDecision {
    const { message, workspace, history } = context;
    if (message.type === 'system') return pass('system_exempt');
    const cap = workspace.policy.frequencyCap;
    if (cap.types.includes(message.type) && history.handedOffInCapWindow >= cap.count) {
      return block('frequency_cap', { limit: cap.count, windowHours: cap.windowHours, sent: history.handedOffInCapWindow });
    }
    const stateCap = message.type === 'marketing' ? stateCapFor(context.region) : null;
    if (stateCap && history.marketingInStateCapWindow >= stateCap.count) {
      return block('state_frequency_cap', { state: stateCap.state, limit: stateCap.count, windowHours: stateCap.windowHours, sent: history.marketingInStateCapWindow });
    }
    return pass(cap.types.includes(message.type) || stateCap ? 'under_cap' : 'type_not_capped', {
      sent: history.handedOffInCapWindow,
      limit: cap.types.includes(message.type) ? cap.count : null,
    });
  }
}
