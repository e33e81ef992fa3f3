import { MigrationInterface, QueryRunner } from 'typeorm';

/** A workspace's senders and brand limits, and number hygiene: line-type lookups and carrier deactivations (docs/senders.md, docs/compliance.md). */
export class SendersAndHygiene1765570000000 implements MigrationInterface {
  name = 'SendersAndHygiene1765570000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "sender" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "workspace_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "address" text NOT NULL,
      "label" text,
      "tier" text,
      "messages_per_second" real,
      "message_types" text[] NOT NULL,
      "enabled" boolean NOT NULL DEFAULT true,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_sender" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_sender_kind" CHECK ("kind" IN ('long_code', 'ten_dlc', 'toll_free', 'short_code', 'alphanumeric')),
      CONSTRAINT "CHK_sender_rate" CHECK ("messages_per_second" IS NULL OR "messages_per_second" > 0),
      CONSTRAINT "FK_sender_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE UNIQUE INDEX "UQ_sender_workspace_address" ON "sender" ("workspace_id", "address")`);
    await q.query(`CREATE TABLE "sender_brand_limit" (
      "workspace_id" uuid NOT NULL,
      "ten_dlc_tier" text,
      "daily_cap" integer,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_sender_brand_limit" PRIMARY KEY ("workspace_id"),
      CONSTRAINT "CHK_sender_brand_limit_cap" CHECK ("daily_cap" IS NULL OR "daily_cap" >= 0),
      CONSTRAINT "FK_sender_brand_limit_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE TABLE "line_type_lookup" (
      "workspace_id" uuid NOT NULL,
      "phone_hash" text NOT NULL,
      "valid" boolean NOT NULL,
      "line_type" text,
      "carrier_name" text,
      "error_code" text,
      "checked_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_line_type_lookup" PRIMARY KEY ("workspace_id", "phone_hash"),
      CONSTRAINT "FK_line_type_lookup_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE TABLE "number_deactivation" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "workspace_id" uuid NOT NULL,
      "phone_hash" text NOT NULL,
      "deactivated_on" date NOT NULL,
      "outcome" text NOT NULL,
      "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "actor" text NOT NULL,
      CONSTRAINT "PK_number_deactivation" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_number_deactivation_outcome" CHECK ("outcome" IN ('suppressed', 'already_suppressed', 'reconsented')),
      CONSTRAINT "FK_number_deactivation_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE UNIQUE INDEX "UQ_number_deactivation_workspace_phone_day" ON "number_deactivation" ("workspace_id", "phone_hash", "deactivated_on")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "number_deactivation"`);
    await q.query(`DROP TABLE "line_type_lookup"`);
    await q.query(`DROP TABLE "sender_brand_limit"`);
    await q.query(`DROP TABLE "sender"`);
  }
}
