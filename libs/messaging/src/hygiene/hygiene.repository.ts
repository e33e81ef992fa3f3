import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DeactivationOutcome } from './hygiene.entities';

export interface LookupRow {
  phoneHash: string;
  valid: boolean;
  lineType: string | null;
  carrierName: string | null;
  errorCode: string | null;
  checkedAt: Date;
}

/** The hygiene tables' queries, every one scoped to a workspace. */
@Injectable()
export class HygieneRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The hashes among `hashes` with a lookup checked since `since` (one query). */
  async freshAmong(workspaceId: string, hashes: string[], since: Date): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: { phone_hash: string }[] = await this.dataSource.query(
      'SELECT phone_hash FROM line_type_lookup WHERE workspace_id = $1 AND phone_hash = ANY($2::text[]) AND checked_at >= $3',
      [workspaceId, hashes, since],
    );
    return new Set(rows.map((r) => r.phone_hash));
  }

  async saveLookups(workspaceId: string, rows: LookupRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO line_type_lookup (workspace_id, phone_hash, valid, line_type, carrier_name, error_code, checked_at)
       SELECT $1, x.h, x.v, x.t, x.c, x.e, x.at FROM unnest($2::text[], $3::boolean[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) AS x(h, v, t, c, e, at)
       ON CONFLICT (workspace_id, phone_hash) DO UPDATE SET valid = EXCLUDED.valid, line_type = EXCLUDED.line_type, carrier_name = EXCLUDED.carrier_name, error_code = EXCLUDED.error_code, checked_at = EXCLUDED.checked_at`,
      [workspaceId, rows.map((r) => r.phoneHash), rows.map((r) => r.valid), rows.map((r) => r.lineType), rows.map((r) => r.carrierName), rows.map((r) => r.errorCode), rows.map((r) => r.checkedAt)],
    );
  }

  async lookupOf(workspaceId: string, phoneHash: string): Promise<LookupRow | null> {
    const [row]: { phone_hash: string; valid: boolean; line_type: string | null; carrier_name: string | null; error_code: string | null; checked_at: Date }[] = await this.dataSource.query('SELECT * FROM line_type_lookup WHERE workspace_id = $1 AND phone_hash = $2', [workspaceId, phoneHash]);
    return row ? { phoneHash: row.phone_hash, valid: row.valid, lineType: row.line_type, carrierName: row.carrier_name, errorCode: row.error_code, checkedAt: row.checked_at } : null;
  }

  /** Contacts whose number was never looked up (or not since `since`), newest first: imports and new contacts. */
  async contactsToLookUp(workspaceId: string, since: Date, limit: number): Promise<string[]> {
    const rows: { phone: string }[] = await this.dataSource.query(
      `SELECT c.phone FROM contact c
        WHERE c.workspace_id = $1 AND c.phone IS NOT NULL AND c.erased_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM line_type_lookup l WHERE l.workspace_id = c.workspace_id AND l.phone_hash = c.phone_hash AND l.checked_at >= $2)
          AND NOT EXISTS (SELECT 1 FROM suppression s WHERE s.workspace_id = c.workspace_id AND s.phone_hash = c.phone_hash)
        ORDER BY c.created_at DESC LIMIT $3`,
      [workspaceId, since, limit],
    );
    return rows.map((r) => r.phone);
  }

  /** Workspaces whose Twilio provider has line-type lookup on. */
  async workspacesWithLookup(): Promise<string[]> {
    const rows: { workspace_id: string }[] = await this.dataSource.query(`SELECT workspace_id FROM sms_provider_config WHERE kind = 'twilio' AND (settings->>'lineTypeLookup')::boolean IS TRUE`);
    return rows.map((r) => r.workspace_id);
  }

  /**
   * The last opt-in (any message type) recorded for each number, from the consent ledger: a
   * read-only query on its table, as the registration kit reads it (decision 0246).
   */
  async lastOptInAt(workspaceId: string, hashes: string[]): Promise<Map<string, Date>> {
    if (hashes.length === 0) return new Map();
    const rows: { phone_hash: string; at: Date }[] = await this.dataSource.query(
      `SELECT phone_hash, max(occurred_at) AS at FROM consent_event
        WHERE workspace_id = $1 AND kind = 'consent' AND state = 'opted_in' AND phone_hash = ANY($2::text[])
        GROUP BY phone_hash`,
      [workspaceId, hashes],
    );
    return new Map(rows.map((r) => [r.phone_hash, r.at]));
  }

  async recordDeactivations(workspaceId: string, rows: { phoneHash: string; deactivatedOn: string; outcome: DeactivationOutcome }[], importedAt: Date, actor: string): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO number_deactivation (workspace_id, phone_hash, deactivated_on, outcome, imported_at, actor)
       SELECT $1, x.h, x.d, x.o, $5, $6 FROM unnest($2::text[], $3::date[], $4::text[]) AS x(h, d, o)
       ON CONFLICT (workspace_id, phone_hash, deactivated_on) DO NOTHING RETURNING id`,
      [workspaceId, rows.map((r) => r.phoneHash), rows.map((r) => r.deactivatedOn), rows.map((r) => r.outcome), importedAt, actor],
    );
    return inserted.length;
  }

  /**
   * What hygiene removed, per day and reason: the suppression entries hygiene added (line-type
   * lookups, deactivation lists), by the day they were added (UTC).
   */
  async removedByDay(workspaceId: string, from: Date, to: Date): Promise<{ day: string; reason: string; count: number }[]> {
    const rows: { day: string; reason: string; count: number }[] = await this.dataSource.query(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, reason, count(*)::int AS count FROM suppression
        WHERE workspace_id = $1 AND actor = 'hygiene' AND created_at >= $2 AND created_at < $3
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [workspaceId, from, to],
    );
    return rows;
  }
}
