import { createHash } from 'node:crypto';
import type { SplitArm } from '../definition/flow-definition';

/**
 * The A/B arm for one person at one split: a hash of flow, step and contact mapped onto the
 * percentages. Deterministic, so a retried step, the simulator and a re-entry all land in the
 * same arm, and the arms still divide a population by their percentages.
 */
export function pickArm(arms: SplitArm[], flowId: string, stepId: string, contactId: string): SplitArm {
  const digest = createHash('sha256').update(`${flowId}:${stepId}:${contactId}`).digest();
  const bucket = digest.readUInt32BE(0) % 100;
  let upper = 0;
  for (const arm of arms) {
    upper += arm.percent;
    if (bucket < upper) return arm;
  }
  return arms[arms.length - 1];
}
