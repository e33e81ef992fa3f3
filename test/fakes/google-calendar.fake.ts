import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** The repository's Google Calendar fixtures (test/fixtures/google-calendar), in the Calendar v3 API's shapes. */
export const GOOGLE_CALENDAR_FIXTURES = join(__dirname, '../fixtures/google-calendar');

export function googleCalendarFixture<T = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(join(GOOGLE_CALENDAR_FIXTURES, name), 'utf8')) as T;
}

type GoogleEventJson = Record<string, any>;

export interface FakeEventInput {
  id?: string;
  summary?: string;
  start: Date | string;
  /** Defaults to one hour after start. */
  end?: Date | string;
  description?: string | null;
  /** Written as the private extended property `phone`, as booking tools do. */
  phone?: string | null;
  /** Extra private extended properties. */
  properties?: Record<string, string>;
  attendee?: { email: string; displayName?: string } | null;
  location?: string;
  recurringEventId?: string;
  /** An all-day entry (date only). */
  allDay?: boolean;
}

export interface FakeChannel {
  id: string;
  calendarId: string;
  resourceId: string;
  address: string;
  /** The secret the hub sent; only the fake (playing Google) ever sees it. */
  token: string;
  expiration: number;
  stopped: boolean;
  messageNumber: number;
}

/** More endpoints on the same server (tests point GOOGLE_OAUTH_URL here too). */
export interface GoogleVendorExtension {
  /** True when it answered the request. */
  handle(method: string, path: string, body: string, send: (status: number, body?: unknown) => void): boolean;
  acceptsToken(token: string): boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  status: number;
}

interface StoredEvent {
  seq: number;
  event: GoogleEventJson;
}

interface FakeCalendarData {
  id: string;
  resourceId: string;
  seq: number;
  /** Bumped to invalidate every sync token handed out so far (Google's 410). */
  generation: number;
  events: Map<string, StoredEvent>;
}

interface SyncToken {
  c: string;
  s: number;
  g: number;
}

const DAY_MS = 86_400_000;
const PAGE_SIZE_DEFAULT = 250;

const googleError = (code: number, message: string, reason: string) => ({ error: { errors: [{ domain: 'global', reason, message }], code, message } });

/**
 * A local stand-in for the Google Calendar API v3 (node:http) speaking Google's JSON: events.list
 * (full listings with timeMin/timeMax, incremental ones with sync tokens, paging, deleted events
 * as `status: cancelled`, 410 `fullSyncRequired` when a token is no longer valid), events.watch and
 * channels.stop. Tests change its calendars (add, move, cancel events) and build the push
 * notifications Google would send. Every request is recorded.
 */
export class FakeGoogleCalendar {
  readonly requests: FakeRequest[] = [];
  readonly channels = new Map<string, FakeChannel>();
  private readonly calendars = new Map<string, FakeCalendarData>();
  private server?: Server;
  private nextId = 1;
  private extension?: GoogleVendorExtension;
  /**
   * Google refuses channel addresses that are not HTTPS. The console's browser tests run the hub on
   * plain http (so its session cookie works there) and turn this off; every other test keeps it.
   */
  requireHttpsAddress = true;
  /** The signed-in account's own calendar: what `primary` means, and `primary: true` in calendarList. */
  primaryCalendar: string | null = null;
  private readonly template = googleCalendarFixture('events-list-full.json');

  constructor(
    readonly accessToken = 'ya29.fake-calendar-access-token',
    /** Google's notion of now (tests pass the hub's ManualClock). */
    private readonly now: () => Date = () => new Date(),
    /** How long a channel lives (Google: about a week). */
    readonly channelLifetimeMs = 7 * DAY_MS,
  ) {}

  static async start(options: { accessToken?: string; now?: () => Date; channelLifetimeMs?: number } = {}): Promise<FakeGoogleCalendar> {
    const fake = new FakeGoogleCalendar(options.accessToken, options.now, options.channelLifetimeMs);
    await new Promise<void>((resolve) => {
      fake.server = createServer((req, res) => void fake.handle(req, res));
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  /** What `calendar({ rootUrl })` takes. */
  get rootUrl(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the fake is not listening');
    return `http://127.0.0.1:${address.port}/`;
  }

  /** Serves Google's OAuth endpoints too (test/fakes/google-oauth.fake.ts), and accepts the tokens they issue. */
  attach(extension: GoogleVendorExtension): void {
    this.extension = extension;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addCalendar(calendarId: string): void {
    if (!this.calendars.has(calendarId)) {
      this.calendars.set(calendarId, { id: calendarId, resourceId: `res-${Buffer.from(calendarId).toString('hex').slice(0, 14)}`, seq: 1, generation: 1, events: new Map() });
    }
  }

  /** Books an event, shaped like the fixture's event (same fields Google sends). */
  addEvent(calendarId: string, input: FakeEventInput): GoogleEventJson {
    this.addCalendar(calendarId);
    const base = structuredClone(this.template.items[0]) as GoogleEventJson;
    const id = input.id ?? `fakeappt${String(this.nextId++).padStart(4, '0')}`;
    const start = new Date(input.start);
    const end = input.end ? new Date(input.end) : new Date(start.getTime() + 3600_000);
    const properties = { ...(input.phone ? { phone: input.phone } : {}), ...(input.properties ?? {}) };
    const event: GoogleEventJson = {
      ...base,
      id,
      htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
      iCalUID: `${id}@google.com`,
      created: this.now().toISOString(),
      summary: input.summary ?? base.summary,
      location: input.location ?? base.location,
      start: input.allDay ? { date: start.toISOString().slice(0, 10) } : { dateTime: start.toISOString(), timeZone: 'America/New_York' },
      end: input.allDay ? { date: end.toISOString().slice(0, 10) } : { dateTime: end.toISOString(), timeZone: 'America/New_York' },
      sequence: 0,
    };
    if (input.description === null) delete event.description;
    else if (input.description !== undefined) event.description = input.description;
    if (input.attendee === null) delete event.attendees;
    else if (input.attendee) event.attendees = [{ email: input.attendee.email, displayName: input.attendee.displayName, responseStatus: 'accepted' }];
    if (Object.keys(properties).length > 0 || input.phone === null) event.extendedProperties = { private: properties };
    if (input.recurringEventId) event.recurringEventId = input.recurringEventId;
    this.store(calendarId, event);
    return event;
  }

  /** Moves an event (Google bumps `sequence`, `updated` and the etag). */
  moveEvent(calendarId: string, eventId: string, start: Date | string, end?: Date | string): GoogleEventJson {
    const event = this.stored(calendarId, eventId);
    const startAt = new Date(start);
    const endAt = end ? new Date(end) : new Date(startAt.getTime() + (Date.parse(event.end.dateTime) - Date.parse(event.start.dateTime)));
    event.start = { ...event.start, dateTime: startAt.toISOString() };
    event.end = { ...event.end, dateTime: endAt.toISOString() };
    event.sequence = (event.sequence ?? 0) + 1;
    this.store(calendarId, event);
    return event;
  }

  /** Edits an event without moving it. */
  editEvent(calendarId: string, eventId: string, patch: Partial<GoogleEventJson>): GoogleEventJson {
    const event = { ...this.stored(calendarId, eventId), ...patch };
    this.store(calendarId, event);
    return event;
  }

  /** Cancels (or deletes) an event: incremental listings then report it as a cancelled stub. */
  cancelEvent(calendarId: string, eventId: string): void {
    const event = this.stored(calendarId, eventId);
    event.status = 'cancelled';
    this.store(calendarId, event);
  }

  /** Every sync token handed out for the calendar stops working: the next incremental list answers 410. */
  expireSyncTokens(calendarId: string): void {
    this.calendar(calendarId).generation += 1;
  }

  /** Channels opened on a calendar and not stopped. */
  liveChannels(calendarId?: string): FakeChannel[] {
    return [...this.channels.values()].filter((c) => !c.stopped && (calendarId === undefined || c.calendarId === calendarId));
  }

  /**
   * The push notification Google would POST for a channel: no body, only headers. Message
   * numbers increase but skip values, like Google's.
   */
  notification(channel: FakeChannel, state: 'sync' | 'exists' | 'not_exists' = 'exists', overrides: Record<string, string> = {}): { path: string; headers: Record<string, string> } {
    channel.messageNumber = state === 'sync' ? 1 : channel.messageNumber + 1 + Math.floor(Math.random() * 5);
    return {
      path: new URL(channel.address).pathname,
      headers: {
        'X-Goog-Channel-ID': channel.id,
        'X-Goog-Channel-Token': channel.token,
        'X-Goog-Channel-Expiration': new Date(channel.expiration).toUTCString(),
        'X-Goog-Resource-ID': channel.resourceId,
        'X-Goog-Resource-URI': `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(channel.calendarId)}/events?alt=json`,
        'X-Goog-Resource-State': state,
        'X-Goog-Message-Number': String(channel.messageNumber),
        ...overrides,
      },
    };
  }

  listRequests(calendarId?: string): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && /\/events$/.test(r.path) && (calendarId === undefined || r.path.includes(encodeURIComponent(calendarId))));
  }

  private calendar(calendarId: string): FakeCalendarData {
    const calendar = this.calendars.get(calendarId);
    if (!calendar) throw new Error(`the fake has no calendar ${calendarId}`);
    return calendar;
  }

  private stored(calendarId: string, eventId: string): GoogleEventJson {
    const stored = this.calendar(calendarId).events.get(eventId);
    if (!stored) throw new Error(`the fake has no event ${eventId} in ${calendarId}`);
    return structuredClone(stored.event);
  }

  private store(calendarId: string, event: GoogleEventJson): void {
    const calendar = this.calendar(calendarId);
    calendar.seq += 1;
    event.etag = `"${33810 + calendar.seq}"`;
    event.updated = this.now().toISOString();
    calendar.events.set(event.id, { seq: calendar.seq, event });
  }

  private tokenFor(calendar: FakeCalendarData, seq: number): string {
    return Buffer.from(JSON.stringify({ c: calendar.id, s: seq, g: calendar.generation } satisfies SyncToken)).toString('base64');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: raw ? safeJson(raw) : undefined, status: 0 };
    this.requests.push(record);
    const send = (status: number, body?: unknown) => {
      record.status = status;
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };

    if (this.extension?.handle(record.method, url.pathname, raw, send)) return;
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
    if (bearer !== this.accessToken && !this.extension?.acceptsToken(bearer)) {
      return send(401, {
        error: {
          errors: [{ domain: 'global', reason: 'authError', message: 'Invalid Credentials', locationType: 'header', location: 'Authorization' }],
          code: 401,
          message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        },
      });
    }
    const list = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(url.pathname);
    const watch = /^\/calendar\/v3\/calendars\/([^/]+)\/events\/watch$/.exec(url.pathname);
    const calendarIdOf = (raw: string) => (decodeURIComponent(raw) === 'primary' && this.primaryCalendar ? this.primaryCalendar : decodeURIComponent(raw));
    if (req.method === 'GET' && url.pathname === '/calendar/v3/users/me/calendarList') return this.calendarList(send);
    if (req.method === 'GET' && list) return this.list(calendarIdOf(list[1]), url.searchParams, send);
    if (req.method === 'POST' && watch) return this.watch(calendarIdOf(watch[1]), record.body, send);
    if (req.method === 'POST' && url.pathname === '/calendar/v3/channels/stop') return this.stop(record.body, send);
    return send(404, googleError(404, 'Not Found', 'notFound'));
  }

  /** `calendarList.list` in Google's shape: every calendar of the fake, the primary one marked. */
  private calendarList(send: (status: number, body?: unknown) => void): void {
    const items = [...this.calendars.values()].map((c) => ({
      kind: 'calendar#calendarListEntry',
      etag: `"${1700000000000 + c.seq}"`,
      id: c.id,
      summary: c.id === this.primaryCalendar ? c.id : c.id.split('@')[0].replace(/[-.]/g, ' '),
      timeZone: 'America/New_York',
      colorId: '14',
      backgroundColor: '#9fe1e7',
      foregroundColor: '#000000',
      selected: true,
      accessRole: 'owner',
      defaultReminders: [],
      ...(c.id === this.primaryCalendar && { primary: true }),
      conferenceProperties: { allowedConferenceSolutionTypes: ['hangoutsMeet'] },
    }));
    send(200, { kind: 'calendar#calendarList', etag: '"p33c9j1vq6l6to0o"', nextSyncToken: 'CKDt_fake_calendarlist=', items });
  }

  private list(calendarId: string, query: URLSearchParams, send: (status: number, body?: unknown) => void): void {
    const calendar = this.calendars.get(calendarId);
    if (!calendar) return send(404, googleError(404, 'Not Found', 'notFound'));
    if (query.get('singleEvents') !== 'true') return send(400, googleError(400, 'This fake serves singleEvents=true listings only', 'invalid'));
    const syncToken = query.get('syncToken');
    const pageSize = Math.min(Number(query.get('maxResults') ?? PAGE_SIZE_DEFAULT), 2500);
    const page = query.get('pageToken') ? (JSON.parse(Buffer.from(query.get('pageToken') as string, 'base64').toString()) as { o: number; s: number }) : null;
    const asOf = page?.s ?? calendar.seq;

    let items: StoredEvent[];
    if (syncToken) {
      if (query.has('timeMin') || query.has('timeMax')) {
        return send(400, googleError(400, 'Sync token cannot be combined with timeMin or timeMax', 'invalid'));
      }
      let token: SyncToken;
      try {
        token = JSON.parse(Buffer.from(syncToken, 'base64').toString()) as SyncToken;
      } catch {
        return send(400, googleError(400, 'Invalid sync token value.', 'invalid'));
      }
      if (token.c !== calendarId || token.g !== calendar.generation) return send(410, googleCalendarFixture('error-410.json'));
      items = [...calendar.events.values()].filter((e) => e.seq > token.s && e.seq <= asOf).sort((a, b) => a.seq - b.seq);
    } else {
      const timeMin = query.get('timeMin') ? Date.parse(query.get('timeMin') as string) : -Infinity;
      const timeMax = query.get('timeMax') ? Date.parse(query.get('timeMax') as string) : Infinity;
      items = [...calendar.events.values()]
        .filter((e) => e.seq <= asOf && e.event.status !== 'cancelled')
        .filter((e) => endOf(e.event) > timeMin && startOf(e.event) < timeMax)
        .sort((a, b) => startOf(a.event) - startOf(b.event));
    }
    const offset = page?.o ?? 0;
    const slice = items.slice(offset, offset + pageSize);
    const more = offset + pageSize < items.length;
    send(200, {
      kind: 'calendar#events',
      etag: `"p33c9l${asOf}"`,
      summary: calendarId,
      updated: this.now().toISOString(),
      timeZone: 'America/New_York',
      accessRole: 'owner',
      defaultReminders: [],
      items: slice.map((e) => (e.event.status === 'cancelled' ? { kind: 'calendar#event', etag: e.event.etag, id: e.event.id, status: 'cancelled' } : e.event)),
      ...(more ? { nextPageToken: Buffer.from(JSON.stringify({ o: offset + pageSize, s: asOf })).toString('base64') } : { nextSyncToken: this.tokenFor(calendar, asOf) }),
    });
  }

  private watch(calendarId: string, body: any, send: (status: number, body?: unknown) => void): void {
    const calendar = this.calendars.get(calendarId);
    if (!calendar) return send(404, googleError(404, 'Not Found', 'notFound'));
    if (!body || typeof body.id !== 'string' || body.id.length === 0 || body.id.length > 64) return send(400, googleError(400, 'Channel id must be 1 to 64 characters', 'invalid'));
    if (body.type !== 'web_hook') return send(400, googleError(400, `Invalid channel type ${body.type}`, 'invalid'));
    if (typeof body.address !== 'string' || !body.address.startsWith(this.requireHttpsAddress ? 'https://' : 'http')) return send(400, googleError(400, `WebHook callback must be HTTPS: ${body.address}`, 'push.webhookUrlNotHttps'));
    if (this.channels.has(body.id)) return send(400, googleError(400, `Channel id ${body.id} not unique`, 'channelIdNotUnique'));
    const longest = this.now().getTime() + this.channelLifetimeMs;
    const expiration = body.expiration ? Math.min(Number(body.expiration), longest) : longest;
    const channel: FakeChannel = { id: body.id, calendarId, resourceId: calendar.resourceId, address: body.address, token: body.token ?? '', expiration, stopped: false, messageNumber: 0 };
    this.channels.set(channel.id, channel);
    const shape = googleCalendarFixture('watch-response.json');
    send(200, {
      ...shape,
      id: channel.id,
      resourceId: channel.resourceId,
      resourceUri: `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?alt=json`,
      ...(body.token !== undefined ? { token: body.token } : { token: undefined }),
      expiration: String(expiration),
    });
  }

  private stop(body: any, send: (status: number, body?: unknown) => void): void {
    const channel = body && typeof body.id === 'string' ? this.channels.get(body.id) : undefined;
    if (!channel || channel.stopped || channel.resourceId !== body.resourceId) return send(404, googleError(404, `Channel '${body?.id}' not found for project`, 'notFound'));
    channel.stopped = true;
    send(204);
  }
}

function startOf(event: GoogleEventJson): number {
  return Date.parse(event.start?.dateTime ?? event.start?.date);
}

function endOf(event: GoogleEventJson): number {
  return Date.parse(event.end?.dateTime ?? event.end?.date);
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
