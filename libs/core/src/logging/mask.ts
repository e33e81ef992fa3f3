/** "+14155550123" → "+1415•••0123", "(415) 555-0123" → "415•••0123": enough to tell numbers apart in logs, not to dial them. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '•••';
  // "+1415…" and a national "415…" show the same: country and area code, never the exchange.
  return `${digits.slice(0, digits.startsWith('+') ? 5 : 3)}•••${digits.slice(-4)}`;
}

/**
 * Ids and instants that contain digit runs a phone pattern would otherwise bite into: UUIDs and
 * ISO dates/timestamps. They are matched first and left as they are (docs/decisions/0231).
 */
const UUID = String.raw`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`;
const ISO_INSTANT = String.raw`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
/**
 * A phone candidate stands alone: never inside a word, an id (`olk_1234…`, hex, `SM…`) or a
 * dash-joined token, and not followed by `:` (a time). Digits separated by spaces, dots, dashes
 * or parentheses, with an optional `+` (or `%2B` in a URL).
 */
const PHONE = String.raw`(?:\+|%2B)?\d[\d\s().-]{6,}\d`;
const PHONE_OR_ID_IN_TEXT = new RegExp(String.raw`(?<![\w-])(?:(${UUID}|${ISO_INSTANT})|(${PHONE}))(?![\w:-])`, 'g');

/**
 * Whether a digit run is a phone number: with a `+` an E.164 number (8 to 15 digits); without
 * one a national number written out (10 or 11 digits, "(415) 555-0101", "14155550101"). Longer
 * bare runs are ids (order numbers, millisecond timestamps) and stay searchable.
 */
function looksLikePhone(candidate: string): boolean {
  const international = candidate.startsWith('+') || candidate.startsWith('%2B');
  const digits = candidate.replace(/^%2B/, '').replace(/\D/g, '').length;
  return international ? digits >= 8 && digits <= 15 : digits === 10 || digits === 11;
}

/** Masks anything that looks like a phone number inside free text (URLs, messages); ids and dates pass. */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_OR_ID_IN_TEXT, (match, id: string | undefined, phone: string | undefined) => {
    if (id !== undefined || phone === undefined || !looksLikePhone(phone)) return match;
    return maskPhone(phone.replace(/^%2B/, '+'));
  });
}

/** A preference-page token after "/p/": 43 base64url characters, a dot, a 22-character signature. */
const PREFERENCE_TOKEN_IN_TEXT = /\/p\/([A-Za-z0-9_-]{6})[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g;

/**
 * Preference-page links change a person's consent to whoever holds them, so a log line keeps
 * only the token's first 6 characters: "/p/AbCdEf…".
 */
export function maskPreferenceTokensIn(text: string): string {
  return text.replace(PREFERENCE_TOKEN_IN_TEXT, '/p/$1…');
}

/** Invitation, password-reset and session tokens (`oli_…`, `olr_…`, `ols_…`): whoever holds one joins, resets or is signed in. */
const SIGN_IN_TOKEN_IN_TEXT = /\b(ol[irs]_)[A-Za-z0-9_-]{8,}/g;

/** "/v1/invitations/accept/oli_Xy…" keeps only the kind of token. */
export function maskSignInTokensIn(text: string): string {
  return text.replace(SIGN_IN_TOKEN_IN_TEXT, '$1…');
}

const EMAIL_IN_TEXT = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@|%40)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** "ana.garcia@example.com" → "a•••@example.com": the domain helps a diagnosis, the person is not named. */
export function maskEmailsIn(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (_match, first: string, at: string, domain: string) => `${first}•••${at}${domain}`);
}

/** Query parameters whose value is a credential (`?token=`, `api_key=`, `signature=`…). */
const SECRET_QUERY_PARAM = /([?&;])([^=&#;]*(?:token|key|secret|signature|password|hmac)[^=&#;]*)=([^&#;]*)/gi;

/** A credential in a query string keeps its first 4 characters: "?token=AbCd…". */
export function maskSecretQueryParamsIn(text: string): string {
  return text.replace(SECRET_QUERY_PARAM, (_match, sep: string, name: string, value: string) => `${sep}${name}=${value.length > 4 ? `${value.slice(0, 4)}…` : '…'}`);
}

/**
 * What a URL, query string or message may show in a log (law of least exposure): preference
 * tokens and credentials in query strings cut to a prefix, email addresses and phone numbers masked.
 * The request logger and the exception filter both log URLs through it.
 */
export function maskForLog(text: string): string {
  return maskPhonesIn(maskEmailsIn(maskSecretQueryParamsIn(maskSignInTokensIn(maskPreferenceTokensIn(text)))));
}
