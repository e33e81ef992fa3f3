import { MigrationInterface, QueryRunner } from 'typeorm';

/** Plugin installations (sealed secrets), the trigger-event store and consent write-backs. */
export class PluginSdk1763798700000 implements MigrationInterface {
  name = 'PluginSdk1763798700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "plugin_installation" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "plugin_id" text NOT NULL,
        "enabled" boolean NOT NULL DEFAULT false,
        "config" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "secrets" jsonb,
        "key_id" text,
        "state" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "requests_per_minute" integer,
        "last_event_at" timestamptz,
        "last_error" jsonb,
        "received_count" integer NOT NULL DEFAULT 0,
        "duplicate_count" integer NOT NULL DEFAULT 0,
        "rejected_count" integer NOT NULL DEFAULT 0,
        "enabled_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_plugin_installation" PRIMARY KEY ("id"),
        CONSTRAINT "FK_plugin_installation_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_plugin_installation_workspace_plugin" ON "plugin_installation" ("workspace_id", "plugin_id")`);
    await q.query(`CREATE INDEX "IDX_plugin_installation_enabled" ON "plugin_installation" ("workspace_id", "plugin_id") WHERE "enabled"`);

    await q.query(`
      CREATE TABLE "trigger_event" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "installation_id" uuid,
        "plugin_id" text NOT NULL,
        "type" text NOT NULL,
        "dedupe_key" text NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "correlation" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "payload" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "contact_hint" jsonb,
        "consent_hint" jsonb,
        "contact_id" uuid,
        "status" text NOT NULL DEFAULT 'received',
        "outcome" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "replay_count" integer NOT NULL DEFAULT 0,
        "received_at" timestamptz NOT NULL,
        "processed_at" timestamptz,
        CONSTRAINT "PK_trigger_event" PRIMARY KEY ("id"),
        CONSTRAINT "FK_trigger_event_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_trigger_event_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL,
        CONSTRAINT "CHK_trigger_event_status" CHECK ("status" IN ('received', 'processed', 'ignored', 'failed'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_trigger_event_dedupe" ON "trigger_event" ("workspace_id", "installation_id", "dedupe_key") WHERE "installation_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_trigger_event_dedupe_hub" ON "trigger_event" ("workspace_id", "plugin_id", "dedupe_key") WHERE "installation_id" IS NULL`);
    await q.query(`CREATE INDEX "IDX_trigger_event_workspace_received" ON "trigger_event" ("workspace_id", "received_at")`);
    await q.query(`CREATE INDEX "IDX_trigger_event_installation_status" ON "trigger_event" ("installation_id", "status")`);
    await q.query(`CREATE INDEX "IDX_trigger_event_contact" ON "trigger_event" ("contact_id")`);

    await q.query(`
      CREATE TABLE "plugin_writeback" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "installation_id" uuid NOT NULL,
        "consent_event_id" uuid NOT NULL,
        "contact_id" uuid NOT NULL,
        "message_type" text NOT NULL,
        "state" text NOT NULL,
        "source" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_plugin_writeback" PRIMARY KEY ("id"),
        CONSTRAINT "FK_plugin_writeback_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_plugin_writeback_installation" FOREIGN KEY ("installation_id") REFERENCES "plugin_installation"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_plugin_writeback_status" CHECK ("status" IN ('pending', 'succeeded', 'failed', 'skipped'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_plugin_writeback_installation_event" ON "plugin_writeback" ("installation_id", "consent_event_id")`);
    await q.query(`CREATE INDEX "IDX_plugin_writeback_workspace_installation_status" ON "plugin_writeback" ("workspace_id", "installation_id", "status")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "plugin_writeback"`);
    await q.query(`DROP TABLE "trigger_event"`);
    await q.query(`DROP TABLE "plugin_installation"`);
  }
}
