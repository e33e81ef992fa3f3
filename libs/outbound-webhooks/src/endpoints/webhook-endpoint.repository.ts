import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { SealedSecret } from '@optline/core';
import { Repository } from 'typeorm';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** The endpoint queries; every one is scoped to its workspace. */
@Injectable()
export class WebhookEndpointRepository {
  constructor(@InjectRepository(WebhookEndpoint) private readonly rows: Repository<WebhookEndpoint>) {}

  list(workspaceId: string): Promise<WebhookEndpoint[]> {
    return this.rows.find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  count(workspaceId: string): Promise<number> {
    return this.rows.count({ where: { workspaceId } });
  }

  find(workspaceId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.rows.findOne({ where: { workspaceId, id } });
  }

  /** The endpoint with its sealed secret (selected only here). */
  async withSecret(workspaceId: string, id: string): Promise<(WebhookEndpoint & { secret: SealedSecret }) | null> {
    const row = await this.rows.createQueryBuilder('e').addSelect('e.secret').where('e.workspace_id = :workspaceId AND e.id = :id', { workspaceId, id }).getOne();
    return row?.secret ? (row as WebhookEndpoint & { secret: SealedSecret }) : null;
  }

  /** The enabled endpoints of a workspace and their event types (what the fan-out caches). */
  enabledSubscriptions(workspaceId: string): Promise<Pick<WebhookEndpoint, 'id' | 'eventTypes'>[]> {
    return this.rows.find({ where: { workspaceId, enabled: true }, select: { id: true, eventTypes: true } });
  }

  insert(row: Partial<WebhookEndpoint>): Promise<WebhookEndpoint> {
    return this.rows.save(this.rows.create(row));
  }

  async update(workspaceId: string, id: string, changes: Partial<WebhookEndpoint>): Promise<void> {
    await this.rows.update({ workspaceId, id }, changes);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.rows.delete({ workspaceId, id });
    return (result.affected ?? 0) > 0;
  }

  /** A delivery failed its last attempt: one more in the streak; disabled (atomically) when it reaches `limit`. Answers whether this call disabled it. */
  async recordFinalFailure(workspaceId: string, id: string, limit: number, reason: string, now: Date): Promise<boolean> {
    const [rows]: [{ enabled: boolean; disabled_at: Date | null }[]] = await this.rows.query(
      `UPDATE webhook_endpoint SET failed_in_a_row = failed_in_a_row + 1,
         enabled = CASE WHEN enabled AND failed_in_a_row + 1 >= $3 THEN false ELSE enabled END,
         disabled_reason = CASE WHEN enabled AND failed_in_a_row + 1 >= $3 THEN $4 ELSE disabled_reason END,
         disabled_at = CASE WHEN enabled AND failed_in_a_row + 1 >= $3 THEN $5::timestamptz ELSE disabled_at END,
         updated_at = now()
       WHERE workspace_id = $1 AND id = $2 RETURNING enabled, disabled_at`,
      [workspaceId, id, limit, reason, now],
    );
    return rows.length > 0 && !rows[0].enabled && rows[0].disabled_at !== null && new Date(rows[0].disabled_at).getTime() === now.getTime();
  }

  async recordSuccess(workspaceId: string, id: string): Promise<void> {
    await this.rows.query(`UPDATE webhook_endpoint SET failed_in_a_row = 0 WHERE workspace_id = $1 AND id = $2 AND failed_in_a_row <> 0`, [workspaceId, id]);
  }
}
