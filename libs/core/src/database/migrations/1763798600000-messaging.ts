import { MigrationInterface, QueryRunner } from 'typeorm';

/** The message log, branded links and per-workspace SMS provider settings (libs/messaging). */
export class Messaging1763798600000 implements MigrationInterface {
  name = 'Messaging1763798600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "message" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "contact_id" uuid,
        "direction" text NOT NULL,
        "type" text NOT NULL,
        "phone" text,
        "sender" text,
        "body" text NOT NULL,
        "segments" integer NOT NULL,
        "encoding" text NOT NULL,
        "status" text NOT NULL,
        "reason" text,
        "policy_trace" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "deferred_until" timestamptz,
        "idempotency_key" text NOT NULL,
        "origin" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "provider" text,
        "provider_message_id" text,
        "error_code" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "handed_off_at" timestamptz,
        "sent_at" timestamptz,
        "delivered_at" timestamptz,
        CONSTRAINT "PK_message" PRIMARY KEY ("id"),
        CONSTRAINT "FK_message_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_message_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL,
        CONSTRAINT "CHK_message_direction" CHECK ("direction" IN ('outbound', 'inbound')),
        CONSTRAINT "CHK_message_type" CHECK ("type" IN ('marketing', 'transactional', 'conversational', 'system')),
        CONSTRAINT "CHK_message_status" CHECK ("status" IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred', 'received', 'held')),
        CONSTRAINT "CHK_message_encoding" CHECK ("encoding" IN ('GSM-7', 'UCS-2'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_message_workspace_idempotency_key" ON "message" ("workspace_id", "idempotency_key")`);
    await q.query(`CREATE INDEX "IDX_message_workspace_created" ON "message" ("workspace_id", "created_at")`);
    await q.query(`CREATE INDEX "IDX_message_workspace_contact_created" ON "message" ("workspace_id", "contact_id", "created_at")`);
    await q.query(`CREATE INDEX "IDX_message_workspace_status" ON "message" ("workspace_id", "status")`);
    await q.query(`CREATE INDEX "IDX_message_workspace_provider_message" ON "message" ("workspace_id", "provider_message_id")`);
    // The reconciler's cross-workspace look for due work (queued/deferred past their instant, stale sending).
    await q.query(`CREATE INDEX "IDX_message_status_deferred_until" ON "message" ("status", "deferred_until")`);

    await q.query(`
      CREATE TABLE "link" (
        "code" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "message_id" uuid NOT NULL,
        "url" text NOT NULL,
        "clicks" integer NOT NULL DEFAULT 0,
        "first_clicked_at" timestamptz,
        "last_clicked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_link" PRIMARY KEY ("code"),
        CONSTRAINT "FK_link_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_link_message" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_link_workspace_message" ON "link" ("workspace_id", "message_id")`);

    await q.query(`
      CREATE TABLE "sms_provider_config" (
        "workspace_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "settings" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "secrets" jsonb,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_sms_provider_config" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "FK_sms_provider_config_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_sms_provider_config_kind" CHECK ("kind" IN ('console', 'twilio', 'http', 'null'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sms_provider_config"`);
    await q.query(`DROP TABLE "link"`);
    await q.query(`DROP TABLE "message"`);
  }
}
