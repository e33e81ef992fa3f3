import { JOB_IDS, JobName, JobPayloads, JobQueue } from '@optline/core';
import { GoogleCalendarClientFactory, staticTokenAuth, WatchChannel } from '@optline/plugin-google-calendar';
import type { TestHub, TestWorkspace } from '../utils/test-hub';
import { FakeChannel, FakeGoogleCalendar } from './google-calendar.fake';
import { eventually } from '../utils/wait';

export { eventually };

export const CALENDAR = 'bookings@harbor-dental.example';

let scenarios = 0;
export const BUSINESS_ZONE = 'America/New_York';

/** A syntactically valid key: with the fake, the static-token auth is used and it is never signed with. */
export const SERVICE_ACCOUNT_KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'harbor-dental',
  client_email: 'optline@harbor-dental.iam.gserviceaccount.com',
  private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-a-real-key\n-----END PRIVATE KEY-----\n',
  token_uri: 'https://oauth2.googleapis.com/token',
});

export interface StoredTriggerEvent {
  id: string;
  type: string;
  dedupe_key: string;
  correlation: Record<string, string>;
  payload: Record<string, any>;
  contact_hint: Record<string, any> | null;
  contact_id: string | null;
  status: string;
}

/** A workspace with the Google Calendar plugin installed against the fake Calendar API. */
export class CalendarScenario {
  installationId = '';

  private constructor(
    /** Each scenario watches its own calendar at the fake (`bookings@…`, then `bookings-2@…`). */
    readonly calendarId: string,
    readonly hub: TestHub,
    readonly ws: TestWorkspace,
    readonly fake: FakeGoogleCalendar,
    readonly admin: string,
  ) {}

  /** Points the plugin's clients at the fake with a static bearer token (no Google token endpoint). */
  static aimAt(hub: TestHub, fake: FakeGoogleCalendar): void {
    hub.get(GoogleCalendarClientFactory).useEndpoint({ rootUrl: fake.rootUrl, auth: () => staticTokenAuth(fake.accessToken) });
  }

  static async start(hub: TestHub, fake: FakeGoogleCalendar, options: { config?: Record<string, unknown>; enable?: boolean } = {}): Promise<CalendarScenario> {
    CalendarScenario.aimAt(hub, fake);
    scenarios += 1;
    const calendarId = scenarios === 1 ? CALENDAR : CALENDAR.replace('@', `-${scenarios}@`);
    fake.addCalendar(calendarId);
    const ws = await hub.createWorkspace({ defaultCountry: 'US', timeZone: BUSINESS_ZONE });
    const scenario = new CalendarScenario(calendarId, hub, ws, fake, await ws.auth());
    const res = await scenario.install(options.config).expect(200);
    scenario.installationId = res.body.installation.id;
    if (options.enable !== false) {
      await scenario.enable().expect(200);
      await scenario.initialSyncDone();
    }
    return scenario;
  }

  config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { authMethod: 'service_account', serviceAccountKey: SERVICE_ACCOUNT_KEY, calendarIds: [this.calendarId], timeZone: BUSINESS_ZONE, ...extra };
  }

  install(extra: Record<string, unknown> = {}) {
    return this.hub.http().put('/v1/plugins/google-calendar').set('Authorization', this.admin).send({ config: this.config(extra) });
  }

  enable() {
    return this.hub.http().post('/v1/plugins/google-calendar/enable').set('Authorization', this.admin);
  }

  disable() {
    return this.hub.http().post('/v1/plugins/google-calendar/disable').set('Authorization', this.admin);
  }

  /** The installation's plugin-owned state, as stored. */
  async state(): Promise<{ channels?: WatchChannel[] } & Record<string, unknown>> {
    const [row] = await this.hub.dataSource.query('SELECT state FROM plugin_installation WHERE id = $1', [this.installationId]);
    return row.state;
  }

  async cursor(calendarId = this.calendarId): Promise<{ sync_token: string | null; full_synced_at: Date | null; synced_at: Date | null } | undefined> {
    const [row] = await this.hub.dataSource.query('SELECT sync_token, full_synced_at, synced_at FROM google_calendar_cursor WHERE installation_id = $1 AND calendar_id = $2', [
      this.installationId,
      calendarId,
    ]);
    return row;
  }

  /** Waits for the full sync `onEnable` queued (it runs once the installation is enabled). */
  initialSyncDone(calendarId = this.calendarId): Promise<unknown> {
    return eventually(async () => (await this.cursor(calendarId))?.full_synced_at ?? undefined, `the initial sync of ${calendarId}`);
  }

  /** The live channel at the fake for a calendar (exactly one expected). */
  channel(calendarId = this.calendarId): FakeChannel {
    const live = this.fake.liveChannels(calendarId).filter((c) => c.address.endsWith(this.installationId));
    if (live.length !== 1) throw new Error(`expected one live channel on ${calendarId}, found ${live.length}`);
    return live[0];
  }

  /** Posts a push notification as Google would. */
  notify(notification: { path: string; headers: Record<string, string> }) {
    return this.hub.http().post(notification.path).set(notification.headers).send();
  }

  /**
   * Sends an `exists` notification for the channel and waits for the sync it queued (its job id
   * is the channel id + message number).
   */
  async notifyAndSync(channel: FakeChannel = this.channel()): Promise<Record<string, any>> {
    const notification = this.fake.notification(channel, 'exists');
    await this.notify(notification).expect(200);
    const payload = { workspaceId: this.ws.id, installationId: this.installationId, calendarId: channel.calendarId, full: false };
    return awaitJob(this.hub, 'google-calendar.sync', payload, `${channel.id}:${notification.headers['X-Goog-Message-Number']}`);
  }

  /** Trigger events this installation stored, oldest first. */
  async events(type?: string): Promise<StoredTriggerEvent[]> {
    const rows: StoredTriggerEvent[] = await this.hub.dataSource.query(
      `SELECT id, type, dedupe_key, correlation, payload, contact_hint, contact_id, status FROM trigger_event
        WHERE workspace_id = $1 AND installation_id = $2 ${type ? 'AND type = $3' : ''} ORDER BY received_at, dedupe_key`,
      type ? [this.ws.id, this.installationId, type] : [this.ws.id, this.installationId],
    );
    return rows;
  }
}

/** Enqueues a job (or finds the one already queued with that id) and waits for its result. */
export async function awaitJob<N extends JobName>(hub: TestHub, name: N, payload: JobPayloads[N], attempt?: string | number, enqueue = false): Promise<any> {
  const jobs = hub.get(JobQueue);
  if (enqueue) await jobs.enqueue(name, payload, { attempt, now: hub.clock.now() });
  const id = JOB_IDS[name](payload, attempt);
  const job = await eventually(async () => (await jobs.queue(name).getJob(id)) ?? undefined, `job ${id}`);
  return job.finished();
}
