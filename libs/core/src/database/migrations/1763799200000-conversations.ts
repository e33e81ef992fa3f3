import { MigrationInterface, QueryRunner } from 'typeorm';

/** Agents, conversations, their timelines and settings (libs/conversations). */
export class Conversations1763799200000 implements MigrationInterface {
  name = 'Conversations1763799200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "agent" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "api_key_id" uuid NOT NULL,
        "display_name" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_agent" PRIMARY KEY ("id"),
        CONSTRAINT "FK_agent_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_agent_api_key" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_agent_workspace" ON "agent" ("workspace_id")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_agent_api_key" ON "agent" ("api_key_id")`);

    await q.query(`
      CREATE TABLE "conversation" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "contact_id" uuid NOT NULL,
        "agent_id" uuid,
        "last_activity_at" timestamptz NOT NULL,
        "last_preview" text,
        "last_direction" text,
        "unread_count" integer NOT NULL DEFAULT 0,
        "last_read_at" timestamptz,
        "opt_in_requested_at" timestamptz,
        "disclosed_as" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_conversation" PRIMARY KEY ("id"),
        CONSTRAINT "FK_conversation_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_conversation_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_conversation_agent" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE SET NULL,
        CONSTRAINT "CHK_conversation_last_direction" CHECK ("last_direction" IS NULL OR "last_direction" IN ('inbound', 'outbound', 'notice'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_conversation_workspace_contact" ON "conversation" ("workspace_id", "contact_id")`);
    await q.query(`CREATE INDEX "IDX_conversation_workspace_activity" ON "conversation" ("workspace_id", "last_activity_at")`);
    await q.query(`CREATE INDEX "IDX_conversation_workspace_agent_activity" ON "conversation" ("workspace_id", "agent_id", "last_activity_at")`);

    await q.query(`
      CREATE TABLE "conversation_entry" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "workspace_id" uuid NOT NULL,
        "conversation_id" uuid NOT NULL,
        "direction" text NOT NULL,
        "role" text NOT NULL,
        "message_id" uuid,
        "body" text,
        "notice_code" text,
        "outbox" text,
        "agent_id" uuid,
        "sender_name" text,
        "client_key" text,
        "consumed_by_flow_run_id" uuid,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_conversation_entry" PRIMARY KEY ("id"),
        CONSTRAINT "FK_conversation_entry_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_conversation_entry_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_conversation_entry_message" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE SET NULL,
        CONSTRAINT "FK_conversation_entry_agent" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE SET NULL,
        CONSTRAINT "CHK_conversation_entry_direction" CHECK ("direction" IN ('inbound', 'outbound', 'notice')),
        CONSTRAINT "CHK_conversation_entry_outbox" CHECK ("outbox" IS NULL OR "outbox" IN ('held', 'submitted', 'dropped')),
        CONSTRAINT "CHK_conversation_entry_role" CHECK ("role" IN ('agent', 'client', 'opt_in_request', 'disclaimer', 'keyword_reply', 'notice', 'other'))
      )`);
    await q.query(`CREATE INDEX "IDX_conversation_entry_conversation_created" ON "conversation_entry" ("conversation_id", "created_at")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_conversation_entry_message" ON "conversation_entry" ("workspace_id", "message_id") WHERE "message_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "UQ_conversation_entry_client_key" ON "conversation_entry" ("conversation_id", "client_key") WHERE "client_key" IS NOT NULL`);

    await q.query(`
      CREATE TABLE "conversation_settings" (
        "workspace_id" uuid NOT NULL,
        "team_name" text,
        "texts" jsonb NOT NULL DEFAULT '{}',
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_conversation_settings" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "FK_conversation_settings_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "conversation_settings"`);
    await q.query(`DROP TABLE "conversation_entry"`);
    await q.query(`DROP TABLE "conversation"`);
    await q.query(`DROP TABLE "agent"`);
  }
}
