import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@optline/core';
import { DataSource } from 'typeorm';

export interface FlowActivity {
  flowId: string;
  sent: number;
  clicks: number;
  optOuts: number;
}

/** Statuses of a text that reached the carrier hand-off (blocked, held, deferred and failed ones did not go out). */
const WENT_OUT = ['sending', 'sent', 'delivered', 'undelivered'];

/**
 * What each flow's texts did over the last days, read from the message log: texts that went
 * out, clicks on their short links, and people who opted out after one of them. One query over
 * the workspace's messages of the period (IDX_message_workspace_created), joined to their runs.
 */
@Injectable()
export class FlowActivityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async lastDays(workspaceId: string, days: number): Promise<{ since: Date; until: Date; data: FlowActivity[] }> {
    const until = this.clock.now();
    const since = new Date(until.getTime() - days * 86_400_000);
    const rows: { flow_id: string; sent: string; clicks: string; opt_outs: string }[] = await this.dataSource.query(
      `WITH flow_message AS (
         SELECT m.id, m.contact_id, m.created_at, r.flow_id
           FROM message m
           JOIN flow_run r ON r.workspace_id = m.workspace_id AND r.id::text = m.origin->>'flowRunId'
          WHERE m.workspace_id = $1 AND m.direction = 'outbound' AND m.created_at >= $2 AND m.created_at <= $3
            AND m.status = ANY($4)
       )
       SELECT fm.flow_id,
              count(*) AS sent,
              coalesce((SELECT sum(l.clicks) FROM link l JOIN flow_message x ON x.id = l.message_id
                         WHERE l.workspace_id = $1 AND x.flow_id = fm.flow_id), 0) AS clicks,
              (SELECT count(DISTINCT c.contact_id) FROM consent_event c
                WHERE c.workspace_id = $1 AND c.kind = 'consent' AND c.state = 'opted_out'
                  AND c.occurred_at >= $2 AND c.occurred_at <= $3
                  AND EXISTS (SELECT 1 FROM flow_message y WHERE y.flow_id = fm.flow_id AND y.contact_id = c.contact_id AND y.created_at <= c.occurred_at)) AS opt_outs
         FROM flow_message fm
        GROUP BY fm.flow_id`,
      [workspaceId, since, until, WENT_OUT],
    );
    return { since, until, data: rows.map((r) => ({ flowId: r.flow_id, sent: Number(r.sent), clicks: Number(r.clicks), optOuts: Number(r.opt_outs) })) };
  }
}
