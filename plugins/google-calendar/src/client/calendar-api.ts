import type { calendar_v3 } from '@googleapis/calendar';
import type { GoogleAuthClient } from './google-auth';

export type GoogleEvent = calendar_v3.Schema$Event;

/** Google answered 410: the sync token is no longer valid and a full sync is required. */
export class SyncTokenExpiredError extends Error {
  override name = 'SyncTokenExpiredError';
}

/**
 * A failed Calendar API call. `permanent` errors (bad credentials, no access to the calendar,
 * unknown calendar, a refused request) will not heal by retrying; the others (rate limits, 5xx,
 * network) will.
 */
export class GoogleCalendarApiError extends Error {
  override name = 'GoogleCalendarApiError';

  constructor(
    message: string,
    readonly status: number | null,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface OpenedChannel {
  id: string;
  resourceId: string;
  /** When Google will stop sending; null when it did not say. */
  expiresAt: Date | null;
}

/** A calendar of the signed-in account (`calendarList.list`). */
export interface ListedCalendar {
  id: string;
  summary: string;
  primary: boolean;
  accessRole: string;
  timeZone: string | null;
}

export interface ListedEvents {
  items: GoogleEvent[];
  nextSyncToken: string;
}

/** Page size of `events.list` (Google's maximum is 2500; 250 keeps each answer small and fast). */
const PAGE_SIZE = 250;
/** A calendar larger than this many pages in one sync is treated as an error rather than looping on. */
const MAX_PAGES = 200;

interface GaxiosLikeError {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: { error?: { message?: string; errors?: { reason?: string }[] } } };
}

function statusOf(error: unknown): number | null {
  const e = error as GaxiosLikeError;
  const status = e?.response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : undefined);
  return typeof status === 'number' ? status : null;
}

function toApiError(error: unknown, what: string): Error {
  if (error instanceof SyncTokenExpiredError || error instanceof GoogleCalendarApiError) return error;
  const status = statusOf(error);
  const e = error as GaxiosLikeError;
  const detail = e?.response?.data?.error?.message ?? e?.message ?? String(error);
  const permanent = status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new GoogleCalendarApiError(`Google Calendar ${what} failed${status ? ` (${status})` : ''}: ${detail}`, status, permanent);
}

/**
 * The few Calendar API calls the plugin makes, over the official client, with Google's errors
 * turned into ours. One instance per installation's credentials.
 */
export class CalendarApi {
  constructor(
    private readonly client: calendar_v3.Calendar,
    /** The credentials the calls are signed with (an OAuth client refreshes its own access token). */
    readonly auth?: GoogleAuthClient,
  ) {}

  /** The calendars the account can see, every page (`calendarList.list`), for the admin to choose from. */
  async listCalendars(): Promise<ListedCalendar[]> {
    const calendars: ListedCalendar[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let data: calendar_v3.Schema$CalendarList;
      try {
        data = (await this.client.calendarList.list({ maxResults: PAGE_SIZE, pageToken })).data;
      } catch (error) {
        throw toApiError(error, 'calendarList.list');
      }
      for (const entry of data.items ?? []) {
        if (!entry.id) continue;
        calendars.push({ id: entry.id, summary: entry.summaryOverride ?? entry.summary ?? entry.id, primary: entry.primary === true, accessRole: entry.accessRole ?? 'reader', timeZone: entry.timeZone ?? null });
      }
      if (!data.nextPageToken) return calendars;
      pageToken = data.nextPageToken;
    }
    return calendars;
  }

  /** Opens a push-notification channel on a calendar's events (`events.watch`). */
  async watch(calendarId: string, channel: { id: string; token: string; address: string }): Promise<OpenedChannel> {
    try {
      const res = await this.client.events.watch({ calendarId, requestBody: { id: channel.id, type: 'web_hook', address: channel.address, token: channel.token } });
      const expiration = res.data.expiration ? Number(res.data.expiration) : NaN;
      if (!res.data.resourceId) throw new GoogleCalendarApiError('Google Calendar events.watch answered without a resourceId', res.status, false);
      return { id: res.data.id ?? channel.id, resourceId: res.data.resourceId, expiresAt: Number.isFinite(expiration) ? new Date(expiration) : null };
    } catch (error) {
      throw toApiError(error, `events.watch on ${calendarId}`);
    }
  }

  /** Stops a channel (`channels.stop`). A channel Google no longer knows (expired, stopped) is not an error. */
  async stop(channel: { id: string; resourceId: string }): Promise<void> {
    try {
      await this.client.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } });
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw toApiError(error, 'channels.stop');
    }
  }

  /** Everything that changed since `syncToken`, cancelled events included; SyncTokenExpiredError on 410. */
  listChanges(calendarId: string, syncToken: string): Promise<ListedEvents> {
    return this.listAll(calendarId, { syncToken });
  }

  /**
   * A full listing of the events that end after `timeMin` and start before `timeMax`, recurring
   * events expanded into their instances. Its `nextSyncToken` starts incremental syncs.
   */
  listWindow(calendarId: string, timeMin: Date, timeMax: Date): Promise<ListedEvents> {
    return this.listAll(calendarId, { timeMin: timeMin.toISOString(), timeMax: timeMax.toISOString() });
  }

  private async listAll(calendarId: string, query: { syncToken?: string; timeMin?: string; timeMax?: string }): Promise<ListedEvents> {
    const items: GoogleEvent[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let data: calendar_v3.Schema$Events;
      try {
        // singleEvents must be the same in the full and the incremental listings (Google's sync guide).
        const res = await this.client.events.list({ calendarId, singleEvents: true, maxResults: PAGE_SIZE, pageToken, ...query });
        data = res.data;
      } catch (error) {
        if (statusOf(error) === 410) throw new SyncTokenExpiredError(`the sync token of ${calendarId} expired`);
        throw toApiError(error, `events.list on ${calendarId}`);
      }
      items.push(...(data.items ?? []));
      if (data.nextPageToken) {
        pageToken = data.nextPageToken;
        continue;
      }
      if (!data.nextSyncToken) throw new GoogleCalendarApiError(`Google Calendar events.list on ${calendarId} ended without a nextSyncToken`, null, false);
      return { items, nextSyncToken: data.nextSyncToken };
    }
    throw new GoogleCalendarApiError(`Google Calendar events.list on ${calendarId} returned more than ${MAX_PAGES} pages`, null, false);
  }
}
