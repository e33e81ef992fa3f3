import { isIanaZone } from '@optline/core';
import { normalizePhone } from '@optline/contacts';
import { isEmail } from 'class-validator';
import { CONSENT_MESSAGE_TYPES, CONSENT_SOURCES, ConsentMessageType, ConsentSource, ConsentState } from '../consent.types';

/** A header as the import understands it: "First Name" → "first_name". */
export function normalizeHeader(header: string): string {
  return header
    .trim()
    .replace(/^\uFEFF/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

const ALIASES: Record<string, string> = {
  phone_number: 'phone',
  mobile: 'phone',
  mobile_phone: 'phone',
  sms: 'phone',
  firstname: 'first_name',
  first: 'first_name',
  lastname: 'last_name',
  last: 'last_name',
  email_address: 'email',
  timezone: 'time_zone',
  tz: 'time_zone',
  sms_consent: 'consent',
  consent_status: 'consent',
  opt_in: 'consent',
  consent_type: 'consent_types',
  consent_at: 'consent_timestamp',
  consent_date: 'consent_timestamp',
};

const KNOWN = new Set(['phone', 'first_name', 'last_name', 'email', 'time_zone', 'consent', 'consent_types', 'consent_source', 'consent_timestamp', 'consent_evidence']);

/** Values of a consent column and what they mean; a "no"/"N" means "not opted in", which records nothing. */
const CONSENT_VALUES: Record<string, ConsentState | null> = {
  opted_in: 'opted_in',
  opt_in: 'opted_in',
  optedin: 'opted_in',
  subscribed: 'opted_in',
  yes: 'opted_in',
  y: 'opted_in',
  true: 'opted_in',
  '1': 'opted_in',
  opted_out: 'opted_out',
  opt_out: 'opted_out',
  optedout: 'opted_out',
  unsubscribed: 'opted_out',
  stop: 'opted_out',
  pending: 'pending',
  no: null,
  n: null,
  false: null,
  '0': null,
  none: null,
  not_subscribed: null,
  '': null,
};

export interface ImportRowContext {
  defaultCountry: string;
  defaultConsentTypes: ConsentMessageType[];
  /** Consent timestamps later than this are refused (a consent cannot come from the future). */
  now: Date;
}

export interface ParsedImportRow {
  contact: {
    phone: string;
    email?: string;
    firstName?: string;
    lastName?: string;
    timeZone?: string;
    attributes: Record<string, unknown>;
    externalIds: Record<string, string>;
  };
  consent: { state: ConsentState; types: ConsentMessageType[]; source: ConsentSource; occurredAt: Date | null; evidence: string | null } | null;
}

export type ImportRowResult = { ok: true; row: ParsedImportRow } | { ok: false; reason: string };

const reject = (reason: string): ImportRowResult => ({ ok: false, reason });

/**
 * Reads one CSV record (keys are normalised headers). Known columns fill the contact and its
 * consent; `external_id.<source>` columns fill external ids; every other non-empty column
 * becomes an attribute. Returns the reason when the row cannot be used.
 */
export function parseImportRow(record: Record<string, string>, context: ImportRowContext): ImportRowResult {
  const fields: Record<string, string> = {};
  const attributes: Record<string, unknown> = {};
  const externalIds: Record<string, string> = {};
  for (const [rawKey, rawValue] of Object.entries(record)) {
    const value = (rawValue ?? '').trim();
    const key = ALIASES[rawKey] ?? rawKey;
    if (KNOWN.has(key)) fields[key] = value;
    else if (/^external_ids?\./.test(key)) {
      if (value) externalIds[key.replace(/^external_ids?\./, '')] = value;
    } else if (value && key) attributes[key.replace(/^(attributes?\.|attr_)/, '')] = value;
  }

  if (!fields.phone) return reject('phone is empty');
  const phone = normalizePhone(fields.phone, context.defaultCountry);
  if (!phone) return reject(`phone "${fields.phone}" is not a valid number`);
  if (fields.email && !isEmail(fields.email)) return reject(`email "${fields.email}" is not a valid address`);
  if (fields.time_zone && !isIanaZone(fields.time_zone)) return reject(`time_zone "${fields.time_zone}" is not an IANA zone`);

  const contact: ParsedImportRow['contact'] = { phone, attributes, externalIds };
  if (fields.email) contact.email = fields.email;
  if (fields.first_name) contact.firstName = fields.first_name;
  if (fields.last_name) contact.lastName = fields.last_name;
  if (fields.time_zone) contact.timeZone = fields.time_zone;

  const consentValue = normalizeHeader(fields.consent ?? '');
  if (!(consentValue in CONSENT_VALUES)) {
    return reject(`consent "${fields.consent}" is not understood (use opted_in, opted_out, pending, or leave empty)`);
  }
  const state = CONSENT_VALUES[consentValue];
  // Without a status the other consent columns say nothing; the contact is still imported.
  if (!state) return { ok: true, row: { contact, consent: null } };

  let types = context.defaultConsentTypes;
  if (fields.consent_types) {
    const listed = fields.consent_types.split(/[,;|\s]+/).filter(Boolean).map((t) => t.toLowerCase());
    if (listed.includes('all')) types = [...CONSENT_MESSAGE_TYPES];
    else {
      const unknown = listed.filter((t) => !CONSENT_MESSAGE_TYPES.includes(t as ConsentMessageType));
      if (unknown.length > 0) return reject(`consent_types "${unknown.join(', ')}" is not marketing, transactional, conversational or all`);
      types = listed as ConsentMessageType[];
    }
  }
  const source = (fields.consent_source || 'import').toLowerCase() as ConsentSource;
  if (!CONSENT_SOURCES.includes(source)) return reject(`consent_source "${fields.consent_source}" is not one of ${CONSENT_SOURCES.join(', ')}`);
  let occurredAt: Date | null = null;
  if (fields.consent_timestamp) {
    occurredAt = new Date(fields.consent_timestamp);
    if (Number.isNaN(occurredAt.getTime())) return reject(`consent_timestamp "${fields.consent_timestamp}" is not a date (use ISO 8601)`);
    if (occurredAt.getTime() > context.now.getTime()) return reject(`consent_timestamp "${fields.consent_timestamp}" is in the future`);
  }
  return { ok: true, row: { contact, consent: { state, types, source, occurredAt, evidence: fields.consent_evidence || null } } };
}
