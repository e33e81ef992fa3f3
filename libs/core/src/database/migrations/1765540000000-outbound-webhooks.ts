import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound event webhooks: endpoints (signing secret sealed) and their delivery log (docs/webhooks.md). */
export class OutboundWebhooks1765540000000 implements MigrationInterface {
  name = 'OutboundWebhooks1765540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "webhook_endpoint" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "workspace_id" uuid NOT NULL,
      "url" text NOT NULL,
      "description" text NOT NULL DEFAULT '',
      "event_types" text array NOT NULL,
      "secret" jsonb NOT NULL,
      "secret_hint" text NOT NULL,
      "enabled" boolean NOT NULL DEFAULT true,
      "disabled_reason" text,
      "disabled_at" TIMESTAMP WITH TIME ZONE,
      "failed_in_a_row" integer NOT NULL DEFAULT 0,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_endpoint" PRIMARY KEY ("id"),
      CONSTRAINT "FK_webhook_endpoint_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "IDX_webhook_endpoint_workspace" ON "webhook_endpoint" ("workspace_id", "created_at")`);
    await q.query(`CREATE TABLE "webhook_delivery" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "workspace_id" uuid NOT NULL,
      "endpoint_id" uuid NOT NULL,
      "event_type" text NOT NULL,
      "event_key" text NOT NULL,
      "payload" jsonb NOT NULL,
      "status" text NOT NULL DEFAULT 'pending',
      "attempts" integer NOT NULL DEFAULT 0,
      "max_attempts" integer NOT NULL,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE,
      "last_attempt_at" TIMESTAMP WITH TIME ZONE,
      "response_status" integer,
      "latency_ms" integer,
      "error" text,
      "attempt_log" jsonb NOT NULL DEFAULT '[]',
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_webhook_delivery" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_webhook_delivery_status" CHECK ("status" IN ('pending', 'sending', 'succeeded', 'failed')),
      CONSTRAINT "FK_webhook_delivery_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_webhook_delivery_endpoint" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "IDX_webhook_delivery_endpoint" ON "webhook_delivery" ("workspace_id", "endpoint_id", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_webhook_delivery_event" ON "webhook_delivery" ("endpoint_id", "event_key")`);
    await q.query(`CREATE INDEX "IDX_webhook_delivery_due" ON "webhook_delivery" ("next_attempt_at") WHERE "status" = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_delivery"`);
    await q.query(`DROP TABLE "webhook_endpoint"`);
  }
}
