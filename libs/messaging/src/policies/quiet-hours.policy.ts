import { createHash } from 'node:crypto';
import { evaluateSendWindow, quietHoursExemption, SendWindowResult } from '../quiet-hours/send-window';
import { pass, PolicyContext, PolicyDecision, SendPolicy } from './send-policy';

/** Deferred messages restart spread over this many seconds after the window opens, not in one burst. */
export const RESTART_SPREAD_SECONDS = 10 * 60;

/** A stable offset per message inside the spread, so a re-evaluation lands on the same instant. */
export function restartOffsetMs(messageId: string | null): number {
  if (!messageId) return 0;
  const n = createHash('sha256').update(messageId).digest().readUInt32BE(0);
  return (n % RESTART_SPREAD_SECONDS) * 1000;
}

/**
 * 3. Quiet hours in the recipient's zone(s): the federal 8:00–21:00, narrowed by the workspace and,
 * for marketing, by the state of the number (data in quiet-hours/state-windows.ts). System
 * replies are exempt (they answer the person), transactional ones when the workspace says so.
 */
export class QuietHoursPolicy implements SendPolicy {
  readonly name = 'quiet_hours';
  /**
   * The messages of one batch share the batch's "now", and most share a zone: the window (luxon
   * zone arithmetic, ~40 µs) is worked out once per distinct answer, not once per message.
   */
  private readonly windows = new Map<string, SendWindowResult>();

  private window(now: Date, zones: string[], settings: { start: string; end: string }, state: string | null): SendWindowResult {
    const key = `${now.getTime()}|${zones.join(',')}|${settings.start}-${settings.end}|${state ?? ''}`;
    let result = this.windows.get(key);
    if (!result) {
      result = evaluateSendWindow({ now, zones, workspaceWindow: { start: settings.start, end: settings.end }, state });
      if (this.windows.size >= 1_000) this.windows.clear();
      this.windows.set(key, result);
    }
    return result;
  }

  evaluate(context: PolicyContext): PolicyDecision {
    const { message, workspace, zone } = context;
    const settings = workspace.policy.quietHours;
    const exemption = quietHoursExemption(message.type, settings);
    if (exemption) return pass(exemption);
    const state = message.type === 'marketing' ? context.region : null;
    const result = this.window(context.now, zone.zones, settings, state);
    const detail = { zones: zone.zones, zoneSource: zone.source, stateRule: result.stateRule };
    if (result.allowed) return pass('inside_window', detail);
    if (!result.nextAllowedAt) return { outcome: 'block', reason: 'no_send_window', detail };
    const until = new Date(result.nextAllowedAt.getTime() + restartOffsetMs(message.id));
    return { outcome: 'defer', reason: 'quiet_hours', until, detail: { ...detail, closedBy: result.closedBy, windowOpensAt: result.nextAllowedAt.toISOString() } };
  }
}
