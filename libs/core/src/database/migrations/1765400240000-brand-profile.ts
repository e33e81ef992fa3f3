import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each workspace's brand profile for sender registration (docs/registration.md). */
export class BrandProfile1765400240000 implements MigrationInterface {
  name = 'BrandProfile1765400240000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "brand_profile" (
      "workspace_id" uuid NOT NULL,
      "legal_name" text, "brand_name" text, "country" character(2), "tax_id" text,
      "website" text, "privacy_url" text, "terms_url" text,
      "contact_name" text, "contact_email" text, "contact_phone" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_brand_profile" PRIMARY KEY ("workspace_id"),
      CONSTRAINT "FK_brand_profile_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "brand_profile"`);
  }
}
