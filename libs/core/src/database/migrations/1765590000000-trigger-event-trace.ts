import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stored event keeps the W3C `traceparent` of the request that stored it (null when tracing is
 * off), so its dispatch — whenever and wherever it runs — continues that trace (decision 0265).
 */
export class TriggerEventTrace1765590000000 implements MigrationInterface {
  name = 'TriggerEventTrace1765590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "trigger_event" ADD "trace_context" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "trigger_event" DROP COLUMN "trace_context"`);
  }
}
