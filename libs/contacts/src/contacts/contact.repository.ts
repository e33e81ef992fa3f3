import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '@optline/core';
import { Contact } from './contact.entity';
import type { ContactListFilter, NormalizedContactInput } from './contact.types';

/** Column list of every contact read, so raw rows map to entities in one place. */
const COLUMNS = `c.id, c.workspace_id, c.phone, c.phone_hash, c.email, c.first_name, c.last_name, c.time_zone,
  c.attributes, c.external_ids, c.created_at, c.updated_at, c.erased_at`;

interface ContactRow {
  id: string;
  workspace_id: string;
  phone: string | null;
  phone_hash: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  time_zone: string | null;
  attributes: Record<string, unknown>;
  external_ids: Record<string, string>;
  created_at: Date;
  updated_at: Date;
  erased_at: Date | null;
}

export function toContact(row: ContactRow): Contact {
  return Object.assign(new Contact(), {
    id: row.id,
    workspaceId: row.workspace_id,
    phone: row.phone,
    phoneHash: row.phone_hash,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    timeZone: row.time_zone,
    attributes: row.attributes ?? {},
    externalIds: row.external_ids ?? {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    erasedAt: row.erased_at,
  });
}

/** The batch upsert statement (see ContactRepository.upsertMany for its merge rules). */
function upsertSql(returning: string): string {
  return `INSERT INTO contact AS c (workspace_id, phone, phone_hash, email, first_name, last_name, time_zone, attributes, external_ids)
    SELECT $1, x.phone, x.phone_hash, x.email, x.first_name, x.last_name, x.time_zone, x.attributes, x.external_ids
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[])
      AS x(phone, phone_hash, email, first_name, last_name, time_zone, attributes, external_ids)
    ON CONFLICT (workspace_id, phone) DO UPDATE SET
      email = COALESCE(EXCLUDED.email, c.email),
      first_name = COALESCE(EXCLUDED.first_name, c.first_name),
      last_name = COALESCE(EXCLUDED.last_name, c.last_name),
      time_zone = COALESCE(EXCLUDED.time_zone, c.time_zone),
      attributes = c.attributes || EXCLUDED.attributes,
      external_ids = c.external_ids || EXCLUDED.external_ids,
      updated_at = now()
    RETURNING ${returning}`;
}

function upsertParams(workspaceId: string, inputs: NormalizedContactInput[]): unknown[] {
  return [
    workspaceId,
    inputs.map((i) => i.phone),
    inputs.map((i) => i.phoneHash),
    inputs.map((i) => i.email ?? null),
    inputs.map((i) => i.firstName ?? null),
    inputs.map((i) => i.lastName ?? null),
    inputs.map((i) => i.timeZone ?? null),
    inputs.map((i) => JSON.stringify(i.attributes ?? {})),
    inputs.map((i) => JSON.stringify(i.externalIds ?? {})),
  ];
}

/** Every query on the contact table; each one is scoped by workspace. */
@Injectable()
export class ContactRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(workspaceId: string, id: string, manager?: EntityManager): Promise<Contact | null> {
    const sql = `SELECT ${COLUMNS} FROM contact c WHERE c.workspace_id = $1 AND c.id = $2`;
    // Outside a transaction (the send path, checks) as a prepared statement.
    const rows: ContactRow[] = manager ? await manager.query(sql, [workspaceId, id]) : await preparedQuery<ContactRow>(this.dataSource, 'contact_by_id', sql, [workspaceId, id]);
    return rows[0] ? toContact(rows[0]) : null;
  }

  async findByIds(workspaceId: string, ids: string[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    const rows = await preparedQuery<ContactRow>(this.dataSource, 'contacts_by_ids', `SELECT ${COLUMNS} FROM contact c WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[])`, [workspaceId, ids]);
    return rows.map(toContact);
  }

  async findByPhone(workspaceId: string, e164: string): Promise<Contact | null> {
    const rows: ContactRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM contact c WHERE c.workspace_id = $1 AND c.phone = $2`, [workspaceId, e164]);
    return rows[0] ? toContact(rows[0]) : null;
  }

  /** The contacts holding any of these E.164 phones (unknown phones are left out). */
  async findByPhones(workspaceId: string, e164s: string[]): Promise<Contact[]> {
    if (e164s.length === 0) return [];
    const rows: ContactRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM contact c WHERE c.workspace_id = $1 AND c.phone = ANY($2::text[])`, [workspaceId, e164s]);
    return rows.map(toContact);
  }

  async findByExternalId(workspaceId: string, source: string, externalId: string): Promise<Contact | null> {
    // `@>` uses the GIN index on external_ids.
    const rows: ContactRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM contact c WHERE c.workspace_id = $1 AND c.external_ids @> $2::jsonb ORDER BY c.created_at LIMIT 1`,
      [workspaceId, JSON.stringify({ [source]: externalId })],
    );
    return rows[0] ? toContact(rows[0]) : null;
  }

  /**
   * Inserts or merges many contacts in one statement. Absent or null fields keep what is stored
   * (an integration that does not know an email must not wipe it); attributes and external ids
   * are merged key by key. Phones must be distinct within one call.
   */
  async upsertMany(
    workspaceId: string,
    inputs: NormalizedContactInput[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ contact: Contact; created: boolean }[]> {
    if (inputs.length === 0) return [];
    const rows: (ContactRow & { created: boolean })[] = await manager.query(upsertSql(`${COLUMNS}, (xmax = 0) AS created`), upsertParams(workspaceId, inputs));
    const byPhone = new Map(rows.map((row) => [row.phone, { contact: toContact(row), created: row.created }]));
    return inputs.map((input) => byPhone.get(input.phone)!);
  }

  /** The same upsert answering only ids: what bulk imports need, without shipping every row back. */
  async upsertManyIds(
    workspaceId: string,
    inputs: NormalizedContactInput[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; phone: string; created: boolean }[]> {
    if (inputs.length === 0) return [];
    return manager.query(upsertSql('c.id, c.phone, (xmax = 0) AS created'), upsertParams(workspaceId, inputs));
  }

  async save(contact: Contact, manager: EntityManager = this.dataSource.manager): Promise<Contact> {
    return manager.getRepository(Contact).save(contact);
  }

  /** Locks one contact for a read-modify-write (PATCH). */
  async lock(workspaceId: string, id: string, manager: EntityManager): Promise<Contact | null> {
    return manager.getRepository(Contact).findOne({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Blanks every personal field; the id, phone hash and timestamps stay. */
  async erase(workspaceId: string, id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE contact SET phone = NULL, email = NULL, first_name = NULL, last_name = NULL, time_zone = NULL,
         attributes = '{}'::jsonb, external_ids = '{}'::jsonb, erased_at = $3, updated_at = now()
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, at],
    );
  }

  /** One page of contacts by ascending id (a stable keyset order), filtered. */
  async list(workspaceId: string, filter: ContactListFilter): Promise<Contact[]> {
    const where = ['c.workspace_id = $1'];
    const params: unknown[] = [workspaceId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (!filter.includeErased) where.push('c.erased_at IS NULL');
    if (filter.after) where.push(`c.id > ${param(filter.after)}`);
    if (filter.groupId) {
      where.push(`EXISTS (SELECT 1 FROM group_member m WHERE m.workspace_id = c.workspace_id AND m.group_id = ${param(filter.groupId)} AND m.contact_id = c.id)`);
    }
    if (filter.consentType && filter.consentState) {
      // consent_state is the consent library's projection; contacts only reads it to filter.
      const match = `SELECT 1 FROM consent_state s WHERE s.workspace_id = c.workspace_id AND s.contact_id = c.id AND s.message_type = ${param(filter.consentType)}`;
      where.push(
        filter.consentState === 'none' ? `NOT EXISTS (${match} AND s.state <> 'none')` : `EXISTS (${match} AND s.state = ${param(filter.consentState)})`,
      );
    }
    if (filter.attribute) {
      where.push(
        filter.attribute.value === undefined
          ? `c.attributes ? ${param(filter.attribute.key)}`
          : `c.attributes ->> ${param(filter.attribute.key)} = ${param(filter.attribute.value)}`,
      );
    }
    if (filter.search) {
      const pattern = param(`%${filter.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(
        `(c.phone ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.first_name ILIKE ${pattern} OR c.last_name ILIKE ${pattern}
          OR (coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) ILIKE ${pattern})`,
      );
    }
    const rows: ContactRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM contact c WHERE ${where.join(' AND ')} ORDER BY c.id LIMIT ${param(filter.limit)}`,
      params,
    );
    return rows.map(toContact);
  }
}
