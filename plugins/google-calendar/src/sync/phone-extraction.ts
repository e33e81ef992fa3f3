import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

const MAX_DESCRIPTION = 8_192;

/** A phone as written in a property ("+1 212 555 0199", "(212) 555-0199"), in E.164, or null when it is not a valid number. */
export function normalizeWrittenPhone(raw: string | undefined | null, defaultCountry: string): string | null {
  const trimmed = raw?.trim();
  if (!trimmed || trimmed.length > 40) return null;
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: defaultCountry.toUpperCase() as CountryCode });
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * The first valid phone number written in an event description, in E.164. Descriptions may be
 * HTML (Google's editor writes `<br>` and links), so tags are dropped first; `tel:` links count.
 */
export function phoneInDescription(description: string | null | undefined, defaultCountry: string): string | null {
  if (!description) return null;
  const text = description
    .slice(0, MAX_DESCRIPTION)
    .replace(/<a\b[^>]*href="tel:([^"]+)"[^>]*>/gi, ' $1 ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#43;|&plus;/g, '+');
  const found = findPhoneNumbersInText(text, { defaultCountry: defaultCountry.toUpperCase() as CountryCode });
  const valid = found.find((f) => f.number.isValid());
  return valid ? valid.number.number : null;
}
