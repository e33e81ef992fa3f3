import { MigrationInterface, QueryRunner } from 'typeorm';

/** The Google Calendar plugin's sync cursors and its memory of announced appointments (plugins/google-calendar). */
export class GoogleCalendar1763799100000 implements MigrationInterface {
  name = 'GoogleCalendar1763799100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "google_calendar_cursor" (
        "installation_id" uuid NOT NULL,
        "calendar_id" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "sync_token" text,
        "full_synced_at" timestamptz,
        "synced_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_google_calendar_cursor" PRIMARY KEY ("installation_id", "calendar_id"),
        CONSTRAINT "FK_google_calendar_cursor_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_google_calendar_cursor_installation" FOREIGN KEY ("installation_id") REFERENCES "plugin_installation"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_google_calendar_cursor_workspace" ON "google_calendar_cursor" ("workspace_id")`);

    await q.query(`
      CREATE TABLE "google_calendar_appointment" (
        "installation_id" uuid NOT NULL,
        "calendar_id" text NOT NULL,
        "event_id" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "state" text NOT NULL,
        "starts_at" timestamptz NOT NULL,
        "ends_at" timestamptz,
        "contact_id" uuid,
        "etag" text,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_google_calendar_appointment" PRIMARY KEY ("installation_id", "calendar_id", "event_id"),
        CONSTRAINT "FK_google_calendar_appointment_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_google_calendar_appointment_installation" FOREIGN KEY ("installation_id") REFERENCES "plugin_installation"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_google_calendar_appointment_contact" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE SET NULL,
        CONSTRAINT "CHK_google_calendar_appointment_state" CHECK ("state" IN ('booked', 'cancelled'))
      )`);
    await q.query(`CREATE INDEX "IDX_google_calendar_appointment_workspace" ON "google_calendar_appointment" ("workspace_id")`);
    await q.query(`CREATE INDEX "IDX_google_calendar_appointment_starts" ON "google_calendar_appointment" ("installation_id", "calendar_id", "starts_at")`);
    await q.query(`CREATE INDEX "IDX_google_calendar_appointment_contact" ON "google_calendar_appointment" ("contact_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "google_calendar_appointment"`);
    await q.query(`DROP TABLE "google_calendar_cursor"`);
  }
}
