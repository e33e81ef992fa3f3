import { DateTime } from 'luxon';
import { FEDERAL_WINDOW, LocalWindow, STATE_RULES, StateRule } from './state-windows';
import { usFederalHolidays } from './us-holidays';

/** One rule that must be open for a text to go out: a window, read in one zone. */
interface Constraint {
  label: string;
  zone: string;
  windowOn: (localDay: DateTime) => LocalWindow | null;
}

export interface SendWindowInput {
  now: Date;
  /** Every zone the recipient may be in; the text goes only when all of them are inside. */
  zones: string[];
  /** The workspace's own window (it may only narrow the law's). */
  workspaceWindow: LocalWindow;
  /** US state of the number, when the state rules apply (marketing texts). */
  state?: string | null;
  rules?: Readonly<Record<string, StateRule>>;
}

export interface SendWindowResult {
  allowed: boolean;
  /** When not allowed: the first instant every constraint is open again (null if none within 8 days). */
  nextAllowedAt: Date | null;
  /** The constraint that is closed now ("federal", "workspace", "state:FL"), when not allowed. */
  closedBy: string | null;
  /** The state rule applied, if any. */
  stateRule: string | null;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function isOpen(window: LocalWindow | null, local: DateTime): boolean {
  if (!window) return false;
  const at = local.hour * 60 + local.minute;
  const start = minutes(window.start);
  const end = minutes(window.end);
  return start < end ? at >= start && at < end : at >= start || at < end;
}

function stateWindowOn(rule: StateRule, day: DateTime): LocalWindow | null {
  if (rule.holiday !== undefined && usFederalHolidays(day.year).has(day.toISODate()!)) return rule.holiday;
  if (rule.sunday !== undefined && day.weekday === 7) return rule.sunday;
  return rule.window;
}

function constraintsFor(input: SendWindowInput): { constraints: Constraint[]; stateRule: string | null } {
  const constraints: Constraint[] = [];
  const rule = input.state ? (input.rules ?? STATE_RULES)[input.state.toUpperCase()] : undefined;
  for (const zone of input.zones) {
    constraints.push({ label: 'federal', zone, windowOn: () => FEDERAL_WINDOW });
    constraints.push({ label: 'workspace', zone, windowOn: () => input.workspaceWindow });
    if (rule) constraints.push({ label: `state:${input.state!.toUpperCase()}`, zone: rule.zone ?? zone, windowOn: (day) => stateWindowOn(rule, day) });
  }
  return { constraints, stateRule: rule ? input.state!.toUpperCase() : null };
}

function closedConstraint(constraints: Constraint[], instant: DateTime): Constraint | undefined {
  return constraints.find((c) => {
    const local = instant.setZone(c.zone);
    return !isOpen(c.windowOn(local.startOf('day')), local);
  });
}

/**
 * Whether a text may go out now given the recipient's candidate zones, the federal window, the
 * workspace's window and the state's rule; when not, the next instant all are open. Pure: the
 * clock's "now" comes in, nothing is read.
 */
export function evaluateSendWindow(input: SendWindowInput): SendWindowResult {
  const { constraints, stateRule } = constraintsFor(input);
  const now = DateTime.fromJSDate(input.now, { zone: 'utc' });
  const closed = closedConstraint(constraints, now);
  if (!closed) return { allowed: true, nextAllowedAt: null, closedBy: null, stateRule };

  // The next open instant is the start of some constraint's window on one of the coming days.
  const candidates: number[] = [];
  for (const c of constraints) {
    const today = now.setZone(c.zone).startOf('day');
    for (let d = 0; d <= 8; d += 1) {
      const day = today.plus({ days: d });
      const window = c.windowOn(day);
      if (!window) continue;
      const start = day.set({ hour: Number(window.start.slice(0, 2)), minute: Number(window.start.slice(3, 5)) });
      if (start > now) candidates.push(start.toMillis());
    }
  }
  candidates.sort((a, b) => a - b);
  const next = candidates.find((ms) => !closedConstraint(constraints, DateTime.fromMillis(ms, { zone: 'utc' })));
  return { allowed: false, nextAllowedAt: next === undefined ? null : new Date(next), closedBy: closed.label, stateRule };
}

/** The workspace's quiet-hours settings, as the gateway reads them. */
export interface QuietHoursSettings {
  start: string;
  end: string;
  exemptTransactional: boolean;
}

/** Why a message type is not held by quiet hours at all, or null when it is. */
export function quietHoursExemption(type: string, settings: QuietHoursSettings): 'system_exempt' | 'transactional_exempt' | null {
  if (type === 'system') return 'system_exempt'; // keyword replies answer the person
  if (type === 'transactional' && settings.exemptTransactional) return 'transactional_exempt';
  return null;
}

/**
 * The first instant a message of `type` submitted at `at` may leave under the gateway's quiet
 * hours (the window's opening, before the per-message restart spread); null when no window
 * opens within 8 days. State rules apply to marketing only. The flow simulator uses this, so its
 * timeline follows the same rule the gateway applies at send time.
 */
export function earliestSendInstant(at: Date, type: string, zones: string[], settings: QuietHoursSettings, region: string | null): Date | null {
  if (quietHoursExemption(type, settings)) return at;
  const result = evaluateSendWindow({
    now: at,
    zones,
    workspaceWindow: { start: settings.start, end: settings.end },
    state: type === 'marketing' ? region : null,
  });
  return result.allowed ? at : result.nextAllowedAt;
}
