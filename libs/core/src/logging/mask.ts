/** "+14155550123" → "+1415•••0123": enough to tell numbers apart in logs, not to dial them. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '•••';
  return `${digits.slice(0, 5)}•••${digits.slice(-4)}`;
}

const PHONE_IN_TEXT = /(\+|%2B)?\d[\d\s().-]{8,}\d/g;

/** Masks anything that looks like a phone number inside free text (URLs, messages). */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) => maskPhone(decodeURIComponent(match)));
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
