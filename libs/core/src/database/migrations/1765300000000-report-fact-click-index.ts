import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Only click facts are looked up by contact and time (the last touch before a conversion): the
 * touch index covers those alone, so the send pipeline's sent/delivered facts do not maintain it.
 */
export class ReportFactClickIndex1765300000000 implements MigrationInterface {
  name = 'ReportFactClickIndex1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_report_fact_touch"`);
    await q.query(`CREATE INDEX "IDX_report_fact_click_touch" ON "report_fact" ("workspace_id", "contact_id", "occurred_at") WHERE "measure" = 'click'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_report_fact_click_touch"`);
    await q.query(`CREATE INDEX "IDX_report_fact_touch" ON "report_fact" ("workspace_id", "contact_id", "measure", "occurred_at")`);
  }
}
