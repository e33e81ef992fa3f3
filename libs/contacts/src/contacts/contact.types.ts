/** What a caller knows about a person; the phone is read with the workspace's country. */
export interface UpsertContactInput {
  phone: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timeZone?: string | null;
  attributes?: Record<string, unknown>;
  externalIds?: Record<string, string>;
}

/** An UpsertContactInput whose phone is already E.164 (and hashed). */
export interface NormalizedContactInput extends Omit<UpsertContactInput, 'phone'> {
  phone: string;
  phoneHash: string;
}

/** Changes to one contact. `null` clears a field; an attribute set to null is removed. */
export interface ContactPatch {
  phone?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  timeZone?: string | null;
  attributes?: Record<string, unknown>;
  externalIds?: Record<string, string | null>;
}

export interface ContactListFilter {
  /** Members of this group only. */
  groupId?: string;
  /** Contacts whose consent for `consentType` is `consentState` ('none' includes never recorded). */
  consentType?: string;
  consentState?: string;
  /** Attribute present (`value` undefined) or equal, compared as text. */
  attribute?: { key: string; value?: string };
  /** Case-insensitive search in phone, email and names. */
  search?: string;
  /** Keyset cursor: the last id of the previous page. */
  after?: string;
  limit: number;
  includeErased?: boolean;
}
