import type { FlowReentry } from '../definition/flow-definition';
import { addDuration } from '../time/relative-instant';

/**
 * Whether a contact may start the flow again given their last start. A live run is refused
 * separately (by the unique index), whatever the rule.
 */
export function reentryAllows(rule: FlowReentry, lastStart: Date | null, now: Date): boolean {
  if (lastStart === null) return true;
  if (rule.mode === 'always') return true;
  if (rule.mode === 'never') return false;
  return addDuration(lastStart, rule.cooldown ?? 'P1D').getTime() <= now.getTime();
}
