import { MigrationInterface, QueryRunner } from 'typeorm';

/** Flows, their versions, runs and run timelines (libs/flows). */
export class Flows1763798800000 implements MigrationInterface {
  name = 'Flows1763798800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "flow" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "template_key" text,
        "name" text NOT NULL,
        "status" text NOT NULL DEFAULT 'draft',
        "active_version" integer,
        "latest_version" integer NOT NULL,
        "webhook_secret" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "activated_at" timestamptz,
        "archived_at" timestamptz,
        CONSTRAINT "PK_flow" PRIMARY KEY ("id"),
        CONSTRAINT "FK_flow_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_flow_status" CHECK ("status" IN ('draft', 'active', 'paused', 'archived'))
      )`);
    await q.query(`CREATE INDEX "IDX_flow_workspace_status" ON "flow" ("workspace_id", "status")`);

    await q.query(`
      CREATE TABLE "flow_version" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "flow_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "definition" jsonb NOT NULL,
        "trigger_events" text array NOT NULL,
        "exit_events" text array NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_flow_version" PRIMARY KEY ("id"),
        CONSTRAINT "FK_flow_version_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_flow_version_flow" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_flow_version_flow_version" ON "flow_version" ("flow_id", "version")`);
    await q.query(`CREATE INDEX "IDX_flow_version_workspace" ON "flow_version" ("workspace_id")`);

    await q.query(`
      CREATE TABLE "flow_run" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "flow_id" uuid NOT NULL,
        "flow_version_id" uuid NOT NULL,
        "contact_id" uuid NOT NULL,
        "trigger_event_id" uuid,
        "correlation_key" text NOT NULL DEFAULT '',
        "status" text NOT NULL,
        "step_id" text,
        "wake_at" timestamptz,
        "wait_kind" text,
        "context" jsonb NOT NULL,
        "enrolled_group_id" uuid,
        "exit_reason" text,
        "started_at" timestamptz NOT NULL,
        "ended_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_flow_run" PRIMARY KEY ("id"),
        CONSTRAINT "FK_flow_run_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_flow_run_flow" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_flow_run_version" FOREIGN KEY ("flow_version_id") REFERENCES "flow_version"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_flow_run_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_flow_run_status" CHECK ("status" IN ('active', 'waiting', 'completed', 'exited', 'failed')),
        CONSTRAINT "CHK_flow_run_wait_kind" CHECK ("wait_kind" IS NULL OR "wait_kind" IN ('timer', 'reply'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_flow_run_live" ON "flow_run" ("flow_id", "contact_id", "correlation_key") WHERE "status" IN ('active', 'waiting')`);
    await q.query(`CREATE UNIQUE INDEX "UQ_flow_run_trigger_event" ON "flow_run" ("flow_id", "contact_id", "trigger_event_id") WHERE "trigger_event_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "IDX_flow_run_due" ON "flow_run" ("wake_at") WHERE "status" IN ('active', 'waiting')`);
    await q.query(`CREATE INDEX "IDX_flow_run_flow" ON "flow_run" ("workspace_id", "flow_id", "started_at")`);
    await q.query(`CREATE INDEX "IDX_flow_run_contact" ON "flow_run" ("workspace_id", "contact_id", "flow_id")`);
    await q.query(`CREATE INDEX "IDX_flow_run_correlation" ON "flow_run" ("workspace_id", "correlation_key") WHERE "status" IN ('active', 'waiting')`);

    await q.query(`
      CREATE TABLE "flow_run_step" (
        "id" BIGSERIAL NOT NULL,
        "workspace_id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "step_id" text,
        "step_type" text,
        "at" timestamptz NOT NULL,
        "outcome" text NOT NULL,
        "detail" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "message_id" uuid,
        CONSTRAINT "PK_flow_run_step" PRIMARY KEY ("id"),
        CONSTRAINT "FK_flow_run_step_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_flow_run_step_run" FOREIGN KEY ("run_id") REFERENCES "flow_run"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_flow_run_step_run" ON "flow_run_step" ("run_id", "id")`);
    await q.query(`CREATE INDEX "IDX_flow_run_step_message" ON "flow_run_step" ("message_id") WHERE "message_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "flow_run_step"`);
    await q.query(`DROP TABLE "flow_run"`);
    await q.query(`DROP TABLE "flow_version"`);
    await q.query(`DROP TABLE "flow"`);
  }
}
