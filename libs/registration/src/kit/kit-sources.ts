import { Injectable } from '@nestjs/common';
import { AppConfig } from '@optline/core';
import { DataSource } from 'typeorm';
import type { ActiveSend } from './kit.types';

interface FlowRow {
  id: string;
  name: string;
  trigger_events: string[];
  definition: { description?: string; messageType: string; steps?: { id: string; type: string; template?: string; messageType?: string }[] };
}

/**
 * Reads what the kit is built from, each query scoped to one workspace: the send steps of active
 * flows' active versions, the consent ledger's sources, the current disclosure and whether the
 * hosted web form is on. Plain SQL over the owning libraries' tables keeps this library a reader
 * with no write path into theirs.
 */
@Injectable()
export class KitSources {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async activeSends(workspaceId: string): Promise<ActiveSend[]> {
    const rows: FlowRow[] = await this.db.query(
      `SELECT f.id, f.name, v.definition, v.trigger_events FROM flow f
         JOIN flow_version v ON v.flow_id = f.id AND v.workspace_id = f.workspace_id AND v.version = f.active_version
        WHERE f.workspace_id = $1 AND f.status = 'active' ORDER BY f.created_at, f.id`,
      [workspaceId],
    );
    const sends: ActiveSend[] = [];
    for (const flow of rows) {
      for (const step of flow.definition.steps ?? []) {
        // System texts (opt-in requests) are the program's own, not a campaign's content.
        if (step.type !== 'send' || typeof step.template !== 'string' || step.messageType === 'system') continue;
        sends.push({
          flowId: flow.id,
          flowName: flow.name,
          flowDescription: flow.definition.description ?? null,
          messageType: step.messageType ?? flow.definition.messageType,
          triggerEvent: flow.trigger_events[0] ?? '',
          stepId: step.id,
          template: step.template,
        });
      }
    }
    return sends;
  }

  /** Per message type, the sources that recorded an opt-in in the ledger. */
  async consentSources(workspaceId: string): Promise<Map<string, string[]>> {
    const rows: { message_type: string; sources: string[] }[] = await this.db.query(
      `SELECT message_type, array_agg(DISTINCT source ORDER BY source) AS sources FROM consent_event
        WHERE workspace_id = $1 AND kind = 'consent' AND state = 'opted_in' GROUP BY message_type`,
      [workspaceId],
    );
    return new Map(rows.map((r) => [r.message_type, r.sources]));
  }

  async currentDisclosure(workspaceId: string): Promise<string | null> {
    const rows: { text: string }[] = await this.db.query(`SELECT text FROM disclosure WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1`, [workspaceId]);
    return rows[0]?.text ?? null;
  }

  /** The public addresses of the enabled hosted web forms (`/f/<key>-<installationId>`, docs/web-forms.md). */
  async hostedForms(workspaceId: string): Promise<string[]> {
    const rows: { id: string; config: { forms?: { key?: string }[] } }[] = await this.db.query(
      `SELECT id, config FROM plugin_installation WHERE workspace_id = $1 AND plugin_id = 'web-forms' AND enabled`,
      [workspaceId],
    );
    return rows.flatMap((row) => (row.config.forms ?? []).filter((f) => f.key).map((f) => `${this.config.publicUrl}/f/${f.key}-${row.id}`));
  }
}
