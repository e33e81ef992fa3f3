import { IANAZone } from 'luxon';

const known = new Map<string, boolean>();

/**
 * Whether `zone` is an IANA time zone this runtime knows. luxon's check builds an
 * Intl.DateTimeFormat on every call (~30 µs, a top item of a campaign's profile); the answer for
 * a name never changes within a process, so it is kept. The set of names asked about is small
 * (the zones people live in), and bounded here all the same.
 */
export function isIanaZone(zone: string): boolean {
  let valid = known.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (known.size >= 10_000) known.clear();
    known.set(zone, valid);
  }
  return valid;
}
