import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconcilers look for rows in a waiting status — messages queued or deferred past their
 * time, hand-offs stuck in `sending`, events still `received` — and almost every row is in a final
 * status. Partial indexes on those statuses hold only the waiting rows (sent rows leave them), so
 * a scan costs the rows waiting, not the table, and a sent message no longer maintains the full
 * (status, deferred_until) index (decision 0261).
 */
export class ReconcilerPartialIndexes1765580000000 implements MigrationInterface {
  name = 'ReconcilerPartialIndexes1765580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_message_status_deferred_until"`);
    await q.query(`CREATE INDEX "IDX_message_waiting" ON "message" ("created_at") WHERE "status" IN ('queued', 'deferred')`);
    await q.query(`CREATE INDEX "IDX_message_sending" ON "message" ("created_at") WHERE "status" = 'sending'`);
    await q.query(`CREATE INDEX "IDX_trigger_event_waiting" ON "trigger_event" ("received_at") WHERE "status" = 'received'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_trigger_event_waiting"`);
    await q.query(`DROP INDEX "IDX_message_sending"`);
    await q.query(`DROP INDEX "IDX_message_waiting"`);
    await q.query(`CREATE INDEX "IDX_message_status_deferred_until" ON "message" ("status", "deferred_until")`);
  }
}
