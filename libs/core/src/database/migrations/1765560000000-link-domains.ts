import { MigrationInterface, QueryRunner } from 'typeorm';

/** Branded short-link domains: one per workspace, each owned by one workspace (docs/messaging.md, "Branded link domains"). */
export class LinkDomains1765560000000 implements MigrationInterface {
  name = 'LinkDomains1765560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "link_domain" (
      "workspace_id" uuid NOT NULL,
      "domain" text NOT NULL,
      "verification_token" text NOT NULL,
      "verified_at" TIMESTAMP WITH TIME ZONE,
      "checked_at" TIMESTAMP WITH TIME ZONE,
      "check_error" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_link_domain" PRIMARY KEY ("workspace_id"),
      CONSTRAINT "UQ_link_domain_domain" UNIQUE ("domain"),
      CONSTRAINT "CHK_link_domain_lower" CHECK ("domain" = lower("domain")),
      CONSTRAINT "FK_link_domain_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "link_domain"`);
  }
}
