import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, DomainError, invalidField, isIanaZone, NotFoundError, SecretBox, ValidationFailedError, WorkspaceService } from '@optline/core';
import { DataSource, EntityManager } from 'typeorm';
import { normalizePhone } from '../phone/normalize-phone';
import { contactAttributesProblem } from './contact-attributes';
import { ContactErasureHooks } from './contact-erasure.hooks';
import { Contact } from './contact.entity';
import { ContactRepository } from './contact.repository';
import type { ContactListFilter, ContactPatch, NormalizedContactInput, UpsertContactInput } from './contact.types';

const PHONE_MESSAGE = 'phone must be a valid phone number (E.164 such as +14155550100, or a national number of the workspace country)';

/** Contacts: identity by phone, upserts (single and batch), lookups, changes and erasure. */
@Injectable()
export class ContactService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly workspaces: WorkspaceService,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
    private readonly erasureHooks: ContactErasureHooks,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Creates the contact for this phone, or merges the input into the existing one. 422 on a bad phone. */
  async upsertByPhone(workspaceId: string, input: UpsertContactInput): Promise<{ contact: Contact; created: boolean }> {
    const country = await this.countryFor(workspaceId, [input.phone]);
    const [result] = await this.contacts.upsertMany(workspaceId, [this.prepare(input, country, 'phone', 'timeZone')]);
    return result;
  }

  /** Batch upsert in one statement; result[i] is the contact of inputs[i] (the same phone twice gives the same contact). */
  async upsertMany(workspaceId: string, inputs: UpsertContactInput[]): Promise<Contact[]> {
    if (inputs.length === 0) return [];
    const country = await this.countryFor(workspaceId, inputs.map((i) => i.phone));
    const prepared = inputs.map((input, i) => this.prepare(input, country, `[${i}].phone`, `[${i}].timeZone`));
    const merged = mergeByPhone(prepared);
    const results = await this.contacts.upsertMany(workspaceId, merged);
    const byPhone = new Map(results.map((r) => [r.contact.phone, r.contact]));
    return prepared.map((p) => byPhone.get(p.phone)!);
  }

  /**
   * `upsertByPhone` for many inputs, each answered on its own: result[i] is inputs[i]'s contact
   * and whether that call created it, or the 422 its phone or time zone gets (the others still
   * go ahead). The same phone twice is applied in order, as two calls would be (a second
   * statement per repeat), so `created` is true for the first only.
   */
  async upsertEachByPhone(workspaceId: string, inputs: UpsertContactInput[]): Promise<({ contact: Contact; created: boolean } | { error: DomainError })[]> {
    const results: ({ contact: Contact; created: boolean } | { error: DomainError })[] = new Array(inputs.length);
    if (inputs.length === 0) return results;
    const country = await this.countryFor(workspaceId, inputs.map((i) => i.phone));
    const rounds: { index: number; input: NormalizedContactInput }[][] = [];
    const seen = new Map<string, number>();
    inputs.forEach((input, index) => {
      try {
        const prepared = this.prepare(input, country, 'phone', 'timeZone');
        const round = seen.get(prepared.phone) ?? 0;
        seen.set(prepared.phone, round + 1);
        (rounds[round] ??= []).push({ index, input: prepared });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results[index] = { error };
      }
    });
    for (const round of rounds) {
      const upserted = await this.contacts.upsertMany(workspaceId, round.map((r) => r.input));
      round.forEach((r, i) => (results[r.index] = upserted[i]));
    }
    return results;
  }

  /** The E.164 form of each phone (null when invalid), with one workspace read at most. */
  async normalizeMany(workspaceId: string, phones: string[]): Promise<(string | null)[]> {
    if (phones.length === 0) return [];
    const country = await this.countryFor(workspaceId, phones);
    return phones.map((phone) => (typeof phone === 'string' ? normalizePhone(phone, country) : null));
  }

  /**
   * Batch upsert of inputs whose phones are already E.164 (an import normalises first, to
   * report bad rows itself). Answers ids and whether each was created. Phones must be distinct.
   */
  async upsertNormalized(
    workspaceId: string,
    inputs: Omit<NormalizedContactInput, 'phoneHash'>[],
    manager?: EntityManager,
  ): Promise<{ id: string; phone: string; created: boolean }[]> {
    return this.contacts.upsertManyIds(
      workspaceId,
      inputs.map((input) => ({ ...input, phoneHash: this.secretBox.keyedHash(input.phone) })),
      manager,
    );
  }

  async get(workspaceId: string, id: string): Promise<Contact> {
    const contact = await this.contacts.findById(workspaceId, id);
    if (!contact) throw new NotFoundError('Contact', id);
    return contact;
  }

  /** The contacts of these ids that exist in this workspace (others are left out). */
  async getMany(workspaceId: string, ids: string[]): Promise<Contact[]> {
    return this.contacts.findByIds(workspaceId, [...new Set(ids)]);
  }

  /** Any written form of the phone; null when not a number or not a contact. */
  async findByPhone(workspaceId: string, phone: string): Promise<Contact | null> {
    const e164 = await this.normalize(workspaceId, phone);
    return e164 ? this.contacts.findByPhone(workspaceId, e164) : null;
  }

  /**
   * `findByPhone` for many phones in one query (and one workspace read at most): result[i] is
   * the contact of phones[i], or null when it is not a number or not a contact.
   */
  async findByPhones(workspaceId: string, phones: string[]): Promise<(Contact | null)[]> {
    const e164s = await this.normalizeMany(workspaceId, phones);
    const wanted = [...new Set(e164s.filter((p): p is string => p !== null))];
    const byPhone = new Map((await this.contacts.findByPhones(workspaceId, wanted)).map((c) => [c.phone, c]));
    return e164s.map((e164) => (e164 ? (byPhone.get(e164) ?? null) : null));
  }

  async findByExternalId(workspaceId: string, source: string, externalId: string): Promise<Contact | null> {
    return this.contacts.findByExternalId(workspaceId, source, externalId);
  }

  /** The E.164 form of a phone as written, read with the workspace's country; null when invalid. */
  async normalize(workspaceId: string, phone: string): Promise<string | null> {
    const country = await this.countryFor(workspaceId, [phone]);
    return normalizePhone(phone, country);
  }

  /** The keyed hash a phone is matched by on the suppression list and the ledger. */
  phoneHash(e164: string): string {
    return this.secretBox.keyedHash(e164);
  }

  async list(workspaceId: string, filter: ContactListFilter): Promise<Contact[]> {
    return this.contacts.list(workspaceId, filter);
  }

  /** Changes one contact. A new phone must be valid and not another contact's (409). */
  async update(workspaceId: string, id: string, patch: ContactPatch): Promise<Contact> {
    return this.dataSource.transaction(async (manager) => {
      const contact = await this.contacts.lock(workspaceId, id, manager);
      if (!contact) throw new NotFoundError('Contact', id);
      if (contact.erasedAt) throw new DomainError('gone', 'contact_erased', `Contact ${id} was erased and cannot be changed`);
      if (patch.phone !== undefined) {
        const e164 = normalizePhone(patch.phone, await this.countryFor(workspaceId, [patch.phone]));
        if (!e164) throw invalidField('phone', PHONE_MESSAGE, 'invalid_phone');
        if (e164 !== contact.phone) {
          const other = await this.contacts.findByPhone(workspaceId, e164);
          if (other) throw new DomainError('conflict', 'phone_taken', `Another contact (${other.id}) has the phone ${e164}`, [{ field: 'phone', message: 'already used by another contact' }]);
          contact.phone = e164;
          contact.phoneHash = this.secretBox.keyedHash(e164);
        }
      }
      if (patch.timeZone) assertTimeZone(patch.timeZone, 'timeZone');
      if (patch.email !== undefined) contact.email = patch.email;
      if (patch.firstName !== undefined) contact.firstName = patch.firstName;
      if (patch.lastName !== undefined) contact.lastName = patch.lastName;
      if (patch.timeZone !== undefined) contact.timeZone = patch.timeZone;
      if (patch.attributes) {
        const merged = withoutNulls({ ...contact.attributes, ...patch.attributes });
        const problem = contactAttributesProblem(merged);
        if (problem) throw invalidField('attributes', problem);
        contact.attributes = merged;
      }
      if (patch.externalIds) contact.externalIds = withoutNulls({ ...contact.externalIds, ...patch.externalIds }) as Record<string, string>;
      return this.contacts.save(contact, manager);
    });
  }

  /**
   * Erasure (GDPR art. 17): names, email, phone, attributes and external ids are blanked; the id
   * and the keyed phone hash stay, and registered hooks (consent) run in the same transaction so
   * the number stays suppressed and the ledger keeps its entries without the phone.
   */
  async erase(workspaceId: string, id: string, actor: string): Promise<void> {
    const existing = await this.get(workspaceId, id);
    if (existing.erasedAt) return;
    const at = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      // Hooks first: they take the ledger's workspace lock before this row is locked, the same
      // order every consent append uses, so the two never wait on each other in a cycle.
      await this.erasureHooks.run({ workspaceId, contactId: id, phone: existing.phone, phoneHash: existing.phoneHash, actor, at }, manager);
      await manager.query(`DELETE FROM group_member WHERE workspace_id = $1 AND contact_id = $2`, [workspaceId, id]);
      await this.contacts.erase(workspaceId, id, at, manager);
    });
  }

  private prepare(input: UpsertContactInput, country: string, phoneField: string, zoneField: string): NormalizedContactInput {
    const e164 = typeof input.phone === 'string' ? normalizePhone(input.phone, country) : null;
    if (!e164) throw invalidField(phoneField, PHONE_MESSAGE, 'invalid_phone');
    if (input.timeZone) assertTimeZone(input.timeZone, zoneField);
    return { ...input, phone: e164, phoneHash: this.secretBox.keyedHash(e164) };
  }

  /** Numbers written with a "+" need no country; only national forms cost a workspace read. */
  private async countryFor(workspaceId: string, phones: string[]): Promise<string> {
    if (phones.every((p) => typeof p === 'string' && p.trim().startsWith('+'))) return 'US';
    return (await this.workspaces.get(workspaceId)).defaultCountry;
  }
}

function assertTimeZone(zone: string, field: string): void {
  if (!isIanaZone(zone)) throw new ValidationFailedError([{ field, message: `${field} must be an IANA time zone such as America/Chicago` }]);
}

function withoutNulls<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as T;
}

/** Inputs for the same phone become one (later values win, attributes and ids merged), as one statement cannot touch a row twice. */
export function mergeByPhone(inputs: NormalizedContactInput[]): NormalizedContactInput[] {
  const merged = new Map<string, NormalizedContactInput>();
  for (const input of inputs) {
    const prior = merged.get(input.phone);
    if (!prior) {
      merged.set(input.phone, { ...input });
      continue;
    }
    merged.set(input.phone, {
      ...prior,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null)),
      attributes: { ...prior.attributes, ...input.attributes },
      externalIds: { ...prior.externalIds, ...input.externalIds },
    } as NormalizedContactInput);
  }
  return [...merged.values()];
}
