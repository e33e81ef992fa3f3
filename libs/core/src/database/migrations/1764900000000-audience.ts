import { MigrationInterface, QueryRunner } from 'typeorm';

/** Segments and campaigns (libs/audience, docs/campaigns.md). */
export class Audience1764900000000 implements MigrationInterface {
  name = 'Audience1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "segment" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "description" text,
        "conditions" jsonb NOT NULL,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_segment" PRIMARY KEY ("id"),
        CONSTRAINT "FK_segment_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_segment_workspace_name" ON "segment" ("workspace_id", "name")`);
    await q.query(`
      CREATE TABLE "campaign" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "status" text NOT NULL DEFAULT 'draft',
        "audience" jsonb NOT NULL,
        "content" jsonb NOT NULL,
        "schedule" jsonb NOT NULL,
        "throttle_per_minute" integer,
        "start_at" timestamptz,
        "audience_rule" jsonb,
        "audience_size" integer,
        "resolved_count" integer NOT NULL DEFAULT 0,
        "cursor" uuid,
        "resolved_at" timestamptz,
        "lease_until" timestamptz,
        "window_started_at" timestamptz,
        "window_count" integer NOT NULL DEFAULT 0,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "started_at" timestamptz,
        "finished_at" timestamptz,
        CONSTRAINT "PK_campaign" PRIMARY KEY ("id"),
        CONSTRAINT "FK_campaign_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_campaign_status" CHECK ("status" IN ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'))
      )`);
    await q.query(`CREATE INDEX "IDX_campaign_workspace_created" ON "campaign" ("workspace_id", "created_at")`);
    await q.query(`CREATE INDEX "IDX_campaign_status_start" ON "campaign" ("status", "start_at")`);
    // Segment rules compare dates kept in free attributes (lastOrderAt, customerSince): a value
    // that is not a date reads as unknown instead of failing the whole count.
    await q.query(`
      CREATE FUNCTION optline_try_timestamptz(value text) RETURNS timestamptz
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      BEGIN
        IF value IS NULL OR value !~ '^\\d{4}-\\d{2}-\\d{2}' THEN RETURN NULL; END IF;
        RETURN value::timestamptz;
      EXCEPTION WHEN others THEN
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION optline_try_timestamptz(text)`);
    await q.query(`DROP TABLE "campaign"`);
    await q.query(`DROP TABLE "segment"`);
  }
}
