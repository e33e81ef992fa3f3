/**
 * Stricter state rules for marketing texts, as data (docs/compliance.md "When a text may be sent"),
 * so a wrong row is corrected here without touching the policy. A window is local time at the
 * recipient ("HH:MM"–"HH:MM", end exclusive); `null` means no marketing texts on that kind of day.
 * Rows marked `confirmed: false` come from a vendor table not yet checked against the statute.
 */
export interface LocalWindow {
  start: string;
  end: string;
}

export interface StateRule {
  /** Window on ordinary days. */
  window: LocalWindow;
  /** Window on Sundays, when it differs (null: none). */
  sunday?: LocalWindow | null;
  /** Window on US federal holidays, when it differs (null: none). */
  holiday?: LocalWindow | null;
  /** A zone the statute names ("8–20 Central"); otherwise the recipient's own zone. */
  zone?: string;
  /** At most `count` marketing texts per `windowHours` (FTSA and its followers). */
  cap?: { count: number; windowHours: number };
  confirmed: boolean;
  source: string;
}

export const STATE_RULES: Readonly<Record<string, StateRule>> = {
  FL: { window: { start: '08:00', end: '20:00' }, cap: { count: 3, windowHours: 24 }, confirmed: true, source: 'Florida Telephone Solicitation Act (FTSA)' },
  OK: { window: { start: '08:00', end: '20:00' }, cap: { count: 3, windowHours: 24 }, confirmed: true, source: 'Oklahoma Telephone Solicitation Act (OTSA)' },
  MD: { window: { start: '08:00', end: '20:00' }, cap: { count: 3, windowHours: 24 }, confirmed: true, source: 'Maryland Stop the Spam Calls Act (2024)' },
  AL: { window: { start: '08:00', end: '20:00' }, sunday: null, holiday: null, confirmed: false, source: 'vendor table' },
  LA: { window: { start: '08:00', end: '20:00' }, sunday: null, holiday: null, confirmed: false, source: 'vendor table' },
  CT: { window: { start: '09:00', end: '20:00' }, confirmed: false, source: 'vendor table' },
  KY: { window: { start: '10:00', end: '21:00' }, confirmed: false, source: 'vendor table' },
  MA: { window: { start: '08:00', end: '20:00' }, confirmed: false, source: 'vendor table' },
  MI: { window: { start: '09:00', end: '21:00' }, confirmed: false, source: 'vendor table' },
  MN: { window: { start: '09:00', end: '21:00' }, confirmed: false, source: 'vendor table' },
  NM: { window: { start: '09:00', end: '21:00' }, confirmed: false, source: 'vendor table' },
  NV: { window: { start: '09:00', end: '20:00' }, confirmed: false, source: 'vendor table' },
  MS: { window: { start: '08:00', end: '20:00' }, sunday: null, zone: 'America/Chicago', confirmed: false, source: 'vendor table' },
  PA: { window: { start: '08:00', end: '21:00' }, holiday: null, confirmed: false, source: 'vendor table' },
  RI: { window: { start: '09:00', end: '18:00' }, confirmed: false, source: 'vendor table' },
};

/** 47 CFR §64.1200(c)(1): no solicitation before 8:00 or after 21:00 at the called party's location. */
export const FEDERAL_WINDOW: LocalWindow = { start: '08:00', end: '21:00' };
