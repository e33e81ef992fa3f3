import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Longer input than any phone number written with separators is refused before parsing. */
const MAX_RAW_LENGTH = 40;

/**
 * Reads a phone number as people write it ("(415) 555-0100", "+44 20 7946 0000", "0612345678")
 * and returns it in E.164, or null when it is not a valid number. National numbers are read as
 * numbers of `defaultCountry` (the workspace's country). Uses the full metadata so validity is
 * checked against real number ranges, not only lengths.
 */
export function normalizePhone(raw: string, defaultCountry: string): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_RAW_LENGTH) return null;
  // Letters are vanity numbers at best ("1-800-FLOWERS"); in imports they are nearly always a
  // shifted column, so they are refused rather than guessed.
  if (/[A-Za-z]/.test(trimmed.replace(/^tel:/i, '').replace(/\s*(ext\.?|x)\s*\d+$/i, ''))) return null;
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: defaultCountry.toUpperCase() as CountryCode });
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** Whether a string is already a valid E.164 number (the form every stored phone has). */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value) && normalizePhone(value, 'US') === value;
}
