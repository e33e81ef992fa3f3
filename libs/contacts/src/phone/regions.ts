/** US states, DC and territories as the geocoding data names them, with their postal codes. */
const US: Record<string, string> = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO', Connecticut: 'CT',
  Delaware: 'DE', 'Washington D.C.': 'DC', 'District of Columbia': 'DC', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI',
  Idaho: 'ID', Illinois: 'IL', Indiana: 'IN', Iowa: 'IA', Kansas: 'KS', Kentucky: 'KY', Louisiana: 'LA', Maine: 'ME',
  Maryland: 'MD', Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN', Mississippi: 'MS', Missouri: 'MO', Montana: 'MT',
  Nebraska: 'NE', Nevada: 'NV', 'New Hampshire': 'NH', 'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY',
  'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA',
  'Rhode Island': 'RI', 'South Carolina': 'SC', 'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT',
  Vermont: 'VT', Virginia: 'VA', Washington: 'WA', 'Washington State': 'WA', 'West Virginia': 'WV', Wisconsin: 'WI',
  Wyoming: 'WY',
};

/** Canadian provinces and territories (including a misspelling present in the data). */
const CA: Record<string, string> = {
  Alberta: 'AB', 'British Columbia': 'BC', 'British Colombia': 'BC', Manitoba: 'MB', 'New Brunswick': 'NB',
  'Newfoundland and Labrador': 'NL', 'Nova Scotia': 'NS', Ontario: 'ON', 'Prince Edward Island': 'PE', Quebec: 'QC',
  Saskatchewan: 'SK', 'Northwest Territories': 'NT', Nunavut: 'NU', Yukon: 'YT',
};

const CODES: Record<string, ReadonlySet<string>> = {
  US: new Set(Object.values(US)),
  CA: new Set(Object.values(CA)),
};

/**
 * Turns a geocoded place ("Florida", "San Francisco, CA", "Ontario") into the state or province
 * code of `country` (US or CA). Places that span several regions ("Nova Scotia/Prince Edward
 * Island") give null: a quiet-hours rule must not be applied on a guess.
 */
export function regionCodeOf(country: string | null, place: string | null): string | null {
  if (!place || !country) return null;
  const names = country === 'US' ? US : country === 'CA' ? CA : null;
  if (!names) return null;
  const suffix = /,\s*([A-Z]{2})$/.exec(place);
  if (suffix) return CODES[country].has(suffix[1]) ? suffix[1] : null;
  return names[place.trim()] ?? null;
}
