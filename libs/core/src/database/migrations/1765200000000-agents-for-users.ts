import { MigrationInterface, QueryRunner } from 'typeorm';

/** A signed-in person may be a conversation agent: an agent row bound to a user instead of an API key (decision 0220). */
export class AgentsForUsers1765200000000 implements MigrationInterface {
  name = 'AgentsForUsers1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "agent" ALTER COLUMN "api_key_id" DROP NOT NULL`);
    await q.query(`ALTER TABLE "agent" ADD "user_id" uuid`);
    await q.query(`ALTER TABLE "agent" ADD CONSTRAINT "FK_agent_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "agent" ADD CONSTRAINT "CHK_agent_credential" CHECK (("api_key_id" IS NULL) <> ("user_id" IS NULL))`);
    await q.query(`CREATE UNIQUE INDEX "UQ_agent_user" ON "agent" ("user_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "agent" WHERE "user_id" IS NOT NULL`);
    await q.query(`DROP INDEX "UQ_agent_user"`);
    await q.query(`ALTER TABLE "agent" DROP CONSTRAINT "CHK_agent_credential"`);
    await q.query(`ALTER TABLE "agent" DROP CONSTRAINT "FK_agent_user"`);
    await q.query(`ALTER TABLE "agent" DROP COLUMN "user_id"`);
    await q.query(`ALTER TABLE "agent" ALTER COLUMN "api_key_id" SET NOT NULL`);
  }
}
