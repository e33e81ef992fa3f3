import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporting (libs/reporting, docs/reporting.md): one fact per (message, measure, key) — the unique
 * key that makes replays count once — and the rollups kept from the facts that were new.
 */
export class Reporting1765100000000 implements MigrationInterface {
  name = 'Reporting1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "report_settings" (
        "workspace_id" uuid NOT NULL,
        "click_window_minutes" integer NOT NULL DEFAULT 7200,
        "delivery_window_minutes" integer NOT NULL DEFAULT 1440,
        "reply_window_minutes" integer NOT NULL DEFAULT 4320,
        "opt_out_window_minutes" integer NOT NULL DEFAULT 2880,
        "opt_out_warning_rate" numeric(6,4) NOT NULL DEFAULT 0.02,
        "conversion_events" text[] NOT NULL DEFAULT '{order.created}',
        "segment_prices" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "currency" text NOT NULL DEFAULT 'USD',
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_report_settings" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "FK_report_settings_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "report_fact" (
        "workspace_id" uuid NOT NULL,
        "message_id" uuid NOT NULL,
        "measure" text NOT NULL,
        "fact_key" text NOT NULL DEFAULT '',
        "occurred_at" timestamptz NOT NULL,
        "bucket_at" timestamptz NOT NULL,
        "contact_id" uuid,
        "flow_id" text NOT NULL DEFAULT '',
        "flow_version_id" text NOT NULL DEFAULT '',
        "step_id" text NOT NULL DEFAULT '',
        "campaign_id" text NOT NULL DEFAULT '',
        "type" text NOT NULL,
        "source" text NOT NULL,
        "provider" text NOT NULL DEFAULT '',
        "detail" text NOT NULL DEFAULT '',
        "segments" integer NOT NULL DEFAULT 0,
        "revenue" numeric(14,2) NOT NULL DEFAULT 0,
        CONSTRAINT "PK_report_fact" PRIMARY KEY ("workspace_id", "message_id", "measure", "fact_key"),
        CONSTRAINT "FK_report_fact_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_report_fact_touch" ON "report_fact" ("workspace_id", "contact_id", "measure", "occurred_at")`);
    await q.query(`
      CREATE TABLE "report_rollup" (
        "workspace_id" uuid NOT NULL,
        "grain" text NOT NULL,
        "bucket" timestamptz NOT NULL,
        "measure" text NOT NULL,
        "flow_id" text NOT NULL,
        "flow_version_id" text NOT NULL,
        "step_id" text NOT NULL,
        "campaign_id" text NOT NULL,
        "type" text NOT NULL,
        "source" text NOT NULL,
        "provider" text NOT NULL,
        "detail" text NOT NULL,
        "count" bigint NOT NULL,
        "segments" bigint NOT NULL,
        "revenue" numeric(16,2) NOT NULL,
        CONSTRAINT "PK_report_rollup" PRIMARY KEY ("workspace_id", "grain", "bucket", "measure", "flow_id", "flow_version_id", "step_id", "campaign_id", "type", "source", "provider", "detail"),
        CONSTRAINT "FK_report_rollup_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_report_rollup_grain" CHECK ("grain" IN ('day', 'hour'))
      )`);
    await q.query(`
      CREATE TABLE "report_recompute" (
        "workspace_id" uuid NOT NULL,
        "status" text NOT NULL,
        "phase" text,
        "done" integer NOT NULL DEFAULT 0,
        "total" integer NOT NULL DEFAULT 0,
        "requested_at" timestamptz NOT NULL,
        "started_at" timestamptz,
        "finished_at" timestamptz,
        "lease_until" timestamptz,
        "error" text,
        CONSTRAINT "PK_report_recompute" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "FK_report_recompute_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_report_recompute_status" CHECK ("status" IN ('pending', 'running', 'completed', 'failed'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "report_recompute"`);
    await q.query(`DROP TABLE "report_rollup"`);
    await q.query(`DROP TABLE "report_fact"`);
    await q.query(`DROP TABLE "report_settings"`);
  }
}
