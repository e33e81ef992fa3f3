import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who did what in a workspace, for the acts that have no ledger of their own (libs/core audit). */
export class AuditTrail1763799800000 implements MigrationInterface {
  name = 'AuditTrail1763799800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_event" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "actor" text NOT NULL,
        "action" text NOT NULL,
        "subject" text,
        "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" timestamptz NOT NULL,
        CONSTRAINT "PK_audit_event" PRIMARY KEY ("id"),
        CONSTRAINT "FK_audit_event_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_audit_event_workspace_created" ON "audit_event" ("workspace_id", "created_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_event"`);
  }
}
