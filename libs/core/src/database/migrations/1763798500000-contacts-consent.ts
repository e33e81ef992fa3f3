import { MigrationInterface, QueryRunner } from 'typeorm';

/** Contacts, groups, the consent ledger and its projection, disclosures, suppression, imports. */
export class ContactsConsent1763798500000 implements MigrationInterface {
  name = 'ContactsConsent1763798500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "contact" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "phone" text,
        "phone_hash" text NOT NULL,
        "email" text,
        "first_name" text,
        "last_name" text,
        "time_zone" text,
        "attributes" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "external_ids" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "erased_at" timestamptz,
        CONSTRAINT "PK_contact" PRIMARY KEY ("id"),
        CONSTRAINT "FK_contact_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_contact_workspace_phone" ON "contact" ("workspace_id", "phone")`);
    await q.query(`CREATE INDEX "IDX_contact_workspace_phone_hash" ON "contact" ("workspace_id", "phone_hash")`);
    await q.query(`CREATE INDEX "IDX_contact_workspace_id" ON "contact" ("workspace_id", "id")`);
    await q.query(`CREATE INDEX "IDX_contact_external_ids" ON "contact" USING gin ("external_ids")`);

    await q.query(`
      CREATE TABLE "contact_group" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "kind" text NOT NULL DEFAULT 'static',
        "description" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_contact_group" PRIMARY KEY ("id"),
        CONSTRAINT "FK_contact_group_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_contact_group_kind" CHECK ("kind" IN ('static', 'opted_in', 'opted_out'))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_contact_group_workspace_name" ON "contact_group" ("workspace_id", "name")`);
    await q.query(`CREATE UNIQUE INDEX "UQ_contact_group_workspace_system" ON "contact_group" ("workspace_id", "kind") WHERE "kind" <> 'static'`);

    await q.query(`
      CREATE TABLE "group_member" (
        "group_id" uuid NOT NULL,
        "contact_id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "added_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_group_member" PRIMARY KEY ("group_id", "contact_id"),
        CONSTRAINT "FK_group_member_group" FOREIGN KEY ("group_id") REFERENCES "contact_group"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_group_member_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_group_member_contact" ON "group_member" ("contact_id")`);

    await q.query(`
      CREATE TABLE "disclosure" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "text" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_disclosure" PRIMARY KEY ("id"),
        CONSTRAINT "FK_disclosure_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_disclosure_workspace_version" ON "disclosure" ("workspace_id", "version")`);

    await q.query(`
      CREATE TABLE "consent_event" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "kind" text NOT NULL DEFAULT 'consent',
        "contact_id" uuid,
        "phone" text,
        "phone_hash" text NOT NULL,
        "message_type" text,
        "state" text,
        "source" text NOT NULL,
        "evidence" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "disclosure_id" uuid,
        "flow_id" text,
        "campaign_id" text,
        "actor" text,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL,
        "prev_hash" text NOT NULL,
        "hash" text NOT NULL,
        CONSTRAINT "PK_consent_event" PRIMARY KEY ("id"),
        CONSTRAINT "FK_consent_event_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_consent_event_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id"),
        CONSTRAINT "FK_consent_event_disclosure" FOREIGN KEY ("disclosure_id") REFERENCES "disclosure"("id"),
        CONSTRAINT "CHK_consent_event_kind" CHECK ("kind" IN ('consent', 'suppression_added', 'suppression_removed')),
        CONSTRAINT "CHK_consent_event_message_type" CHECK ("message_type" IN ('marketing', 'transactional', 'conversational')),
        CONSTRAINT "CHK_consent_event_state" CHECK ("state" IN ('none', 'pending', 'opted_in', 'opted_out')),
        CONSTRAINT "CHK_consent_event_consent_fields" CHECK ("kind" <> 'consent' OR ("contact_id" IS NOT NULL AND "message_type" IS NOT NULL AND "state" IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_consent_event_workspace_seq" ON "consent_event" ("workspace_id", "seq")`);
    await q.query(`CREATE INDEX "IDX_consent_event_contact" ON "consent_event" ("workspace_id", "contact_id", "seq")`);
    await q.query(`CREATE INDEX "IDX_consent_event_phone_hash" ON "consent_event" ("workspace_id", "phone_hash", "occurred_at")`);
    await q.query(`CREATE INDEX "IDX_consent_event_occurred" ON "consent_event" ("workspace_id", "occurred_at")`);
    // Law 5: the ledger is append-only. The one change allowed is erasure blanking the phone
    // (the hash chain covers the keyed phone hash, not the phone); deletes only cascade from a
    // deleted workspace.
    await q.query(`
      CREATE FUNCTION "consent_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.phone IS NULL AND (to_jsonb(NEW) - 'phone') = (to_jsonb(OLD) - 'phone') THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM "workspace" WHERE "id" = OLD.workspace_id) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'consent_event is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER "TRG_consent_event_append_only" BEFORE UPDATE OR DELETE ON "consent_event"
      FOR EACH ROW EXECUTE FUNCTION "consent_event_append_only"()`);

    await q.query(`
      CREATE TABLE "consent_state" (
        "contact_id" uuid NOT NULL,
        "message_type" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "state" text NOT NULL,
        "last_event_id" uuid NOT NULL,
        "changed_at" timestamptz NOT NULL,
        CONSTRAINT "PK_consent_state" PRIMARY KEY ("contact_id", "message_type"),
        CONSTRAINT "FK_consent_state_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_consent_state_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_consent_state_last_event" FOREIGN KEY ("last_event_id") REFERENCES "consent_event"("id"),
        CONSTRAINT "CHK_consent_state_message_type" CHECK ("message_type" IN ('marketing', 'transactional', 'conversational')),
        CONSTRAINT "CHK_consent_state_state" CHECK ("state" IN ('none', 'pending', 'opted_in', 'opted_out'))
      )`);
    await q.query(`CREATE INDEX "IDX_consent_state_workspace_type_state" ON "consent_state" ("workspace_id", "message_type", "state")`);

    await q.query(`
      CREATE TABLE "suppression" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "phone_hash" text NOT NULL,
        "phone" text,
        "reason" text NOT NULL,
        "actor" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_suppression" PRIMARY KEY ("id"),
        CONSTRAINT "FK_suppression_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_suppression_workspace_phone_hash" ON "suppression" ("workspace_id", "phone_hash")`);

    await q.query(`
      CREATE TABLE "contact_import" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "status" text NOT NULL DEFAULT 'uploading',
        "file_name" text,
        "options" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "actor" text NOT NULL,
        "bytes_received" bigint NOT NULL DEFAULT 0,
        "rows_read" integer NOT NULL DEFAULT 0,
        "checkpoint_line" integer NOT NULL DEFAULT 0,
        "created" integer NOT NULL DEFAULT 0,
        "updated" integer NOT NULL DEFAULT 0,
        "rejected" integer NOT NULL DEFAULT 0,
        "consent_skipped" integer NOT NULL DEFAULT 0,
        "error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "started_at" timestamptz,
        "finished_at" timestamptz,
        CONSTRAINT "PK_contact_import" PRIMARY KEY ("id"),
        CONSTRAINT "FK_contact_import_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_contact_import_status" CHECK ("status" IN ('uploading', 'queued', 'running', 'completed', 'failed'))
      )`);
    await q.query(`CREATE INDEX "IDX_contact_import_workspace_created" ON "contact_import" ("workspace_id", "created_at")`);
    await q.query(`
      CREATE TABLE "contact_import_chunk" (
        "import_id" uuid NOT NULL,
        "seq" integer NOT NULL,
        "data" bytea NOT NULL,
        CONSTRAINT "PK_contact_import_chunk" PRIMARY KEY ("import_id", "seq"),
        CONSTRAINT "FK_contact_import_chunk_import" FOREIGN KEY ("import_id") REFERENCES "contact_import"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "contact_import_rejection" (
        "import_id" uuid NOT NULL,
        "line" integer NOT NULL,
        "outcome" text NOT NULL,
        "reason" text NOT NULL,
        "row" jsonb NOT NULL,
        CONSTRAINT "PK_contact_import_rejection" PRIMARY KEY ("import_id", "line"),
        CONSTRAINT "FK_contact_import_rejection_import" FOREIGN KEY ("import_id") REFERENCES "contact_import"("id") ON DELETE CASCADE,
        CONSTRAINT "CHK_contact_import_rejection_outcome" CHECK ("outcome" IN ('rejected', 'consent_skipped'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "contact_import_rejection"`);
    await q.query(`DROP TABLE "contact_import_chunk"`);
    await q.query(`DROP TABLE "contact_import"`);
    await q.query(`DROP TABLE "suppression"`);
    await q.query(`DROP TABLE "consent_state"`);
    await q.query(`DROP TRIGGER "TRG_consent_event_append_only" ON "consent_event"`);
    await q.query(`DROP TABLE "consent_event"`);
    await q.query(`DROP FUNCTION "consent_event_append_only"()`);
    await q.query(`DROP TABLE "disclosure"`);
    await q.query(`DROP TABLE "group_member"`);
    await q.query(`DROP TABLE "contact_group"`);
    await q.query(`DROP TABLE "contact"`);
  }
}
