import { MigrationInterface, QueryRunner } from 'typeorm';

/** People who sign in to the console: users, their sessions, invitations, password resets, setup codes (libs/core identity). */
export class Identity1763799700000 implements MigrationInterface {
  name = 'Identity1763799700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "app_user" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "email" text NOT NULL,
        "display_name" text NOT NULL,
        "role" text NOT NULL,
        "password_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_sign_in_at" timestamptz,
        CONSTRAINT "PK_app_user" PRIMARY KEY ("id"),
        CONSTRAINT "FK_app_user_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_app_user_role" CHECK ("role" IN ('admin', 'marketing', 'support', 'operations'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_app_user_email" ON "app_user" ("email")`);
    await q.query(`CREATE INDEX "IDX_app_user_workspace" ON "app_user" ("workspace_id")`);

    await q.query(`
      CREATE TABLE "user_session" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "token_hash" text NOT NULL,
        "csrf_hash" text NOT NULL,
        "user_agent" text,
        "ip" text,
        "created_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        CONSTRAINT "PK_user_session" PRIMARY KEY ("id"),
        CONSTRAINT "FK_user_session_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_user_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_user_session_token_hash" ON "user_session" ("token_hash")`);
    await q.query(`CREATE INDEX "IDX_user_session_workspace_user" ON "user_session" ("workspace_id", "user_id")`);

    await q.query(`
      CREATE TABLE "user_invitation" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "email" text NOT NULL,
        "role" text NOT NULL,
        "token_hash" text NOT NULL,
        "invited_by" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "accepted_at" timestamptz,
        "accepted_user_id" uuid,
        "revoked_at" timestamptz,
        CONSTRAINT "PK_user_invitation" PRIMARY KEY ("id"),
        CONSTRAINT "FK_user_invitation_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_user_invitation_role" CHECK ("role" IN ('admin', 'marketing', 'support', 'operations'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_user_invitation_token_hash" ON "user_invitation" ("token_hash")`);
    await q.query(`CREATE INDEX "IDX_user_invitation_workspace" ON "user_invitation" ("workspace_id")`);

    await q.query(`
      CREATE TABLE "password_reset" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "token_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        CONSTRAINT "PK_password_reset" PRIMARY KEY ("id"),
        CONSTRAINT "FK_password_reset_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_password_reset_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_password_reset_token_hash" ON "password_reset" ("token_hash")`);

    // Before the first workspace exists there is no tenant to scope to: a setup code belongs to the install.
    await q.query(`
      CREATE TABLE "setup_code" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "code_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_setup_code" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_setup_code_hash" ON "setup_code" ("code_hash")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "setup_code"`);
    await q.query(`DROP TABLE "password_reset"`);
    await q.query(`DROP TABLE "user_invitation"`);
    await q.query(`DROP TABLE "user_session"`);
    await q.query(`DROP TABLE "app_user"`);
  }
}
