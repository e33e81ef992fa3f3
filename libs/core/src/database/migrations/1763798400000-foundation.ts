import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763798400000 implements MigrationInterface {
  name = 'Foundation1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "workspace" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "brand_name" text NOT NULL,
        "support_email" text,
        "support_phone" text,
        "support_url" text,
        "default_country" character(2) NOT NULL DEFAULT 'US',
        "time_zone" text NOT NULL DEFAULT 'America/New_York',
        "opt_in_mode" text NOT NULL DEFAULT 'consent',
        "policy" jsonb NOT NULL DEFAULT '{"quietHours":{"start":"08:00","end":"21:00","exemptTransactional":true},"frequencyCap":{"count":3,"windowHours":24,"types":["marketing"]},"maxSegments":6,"optOutFooter":"Reply STOP to opt out."}'::jsonb,
        "texts" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_workspace" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_workspace_opt_in_mode" CHECK ("opt_in_mode" IN ('consent', 'disclaimer'))
      )`);
    await q.query(`
      CREATE TABLE "api_key" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "role" text NOT NULL,
        "key_hash" text NOT NULL,
        "prefix" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_used_at" timestamptz,
        "revoked_at" timestamptz,
        CONSTRAINT "PK_api_key" PRIMARY KEY ("id"),
        CONSTRAINT "FK_api_key_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_api_key_role" CHECK ("role" IN ('admin', 'marketing', 'support', 'operations'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_api_key_hash" ON "api_key" ("key_hash")`);
    await q.query(`CREATE INDEX "IDX_api_key_workspace" ON "api_key" ("workspace_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_key"`);
    await q.query(`DROP TABLE "workspace"`);
  }
}
