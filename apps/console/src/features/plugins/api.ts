import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { Page, Plugin, StoredEvent } from '../../api/types';

export const pluginKeys = {
  all: ['plugins'] as const,
  one: (id: string) => ['plugins', 'one', id] as const,
  events: (pluginId: string, status: string, cursor?: string) => ['events', pluginId, status, cursor ?? null] as const,
};

export function usePlugins() {
  return useQuery({ queryKey: pluginKeys.all, queryFn: () => call<Page<Plugin>>(api.GET('/v1/plugins')) });
}

export function usePlugin(pluginId: string) {
  // Counts and the last event move as webhooks arrive; refresh them with the event log.
  return useQuery({ queryKey: pluginKeys.one(pluginId), queryFn: () => call<Plugin>(api.GET('/v1/plugins/{pluginId}', { params: { path: { pluginId } } })), refetchInterval: 10_000 });
}

function useInvalidatePlugins() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: pluginKeys.all });
}

export function useInstall(pluginId: string) {
  const invalidate = useInvalidatePlugins();
  return useMutation({
    mutationFn: (config: unknown) => call<Plugin>(api.PUT('/v1/plugins/{pluginId}', { params: { path: { pluginId } }, body: { config } as never })),
    onSuccess: invalidate,
  });
}

export function useToggle(pluginId: string) {
  const invalidate = useInvalidatePlugins();
  return useMutation({
    mutationFn: (enable: boolean) =>
      call<Plugin>(enable ? api.POST('/v1/plugins/{pluginId}/enable', { params: { path: { pluginId } } }) : api.POST('/v1/plugins/{pluginId}/disable', { params: { path: { pluginId } } })),
    onSuccess: invalidate,
  });
}

/** Shopify's OAuth install: the hub answers the shop's authorize URL, where the browser goes next. */
export function useConnectShopify(installationId: string) {
  return useMutation({
    mutationFn: () => call<{ authorizeUrl: string }>(api.POST('/v1/plugins/shopify/installations/{id}/connect', { params: { path: { id: installationId } } })),
  });
}

export function useUninstall(pluginId: string) {
  const invalidate = useInvalidatePlugins();
  return useMutation({
    mutationFn: () => call(api.DELETE('/v1/plugins/{pluginId}', { params: { path: { pluginId } } })),
    onSuccess: invalidate,
  });
}

export function useEvents(pluginId: string, status: string, cursor?: string) {
  return useQuery({
    queryKey: pluginKeys.events(pluginId, status, cursor),
    queryFn: () => call<Page<StoredEvent>>(api.GET('/v1/events', { params: { query: { pluginId, ...(status && { status }), cursor, limit: 20 } as never } })),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
}

export function useReplay() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call<StoredEvent>(api.POST('/v1/events/{id}/replay', { params: { path: { id } } })),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['events'] }), queryClient.invalidateQueries({ queryKey: pluginKeys.all })]),
  });
}

export interface HostedForm {
  formId: string;
  key: string;
  title: string;
  pageUrl: string;
  embedSnippet: string;
}

export function useForms(enabled: boolean) {
  return useQuery({ queryKey: ['forms'], queryFn: () => call<Page<HostedForm>>(api.GET('/v1/forms')), enabled });
}

/** The console's view of a plugin's OAuth connection (hub: OAuthConnectionDto). */
export interface OAuthConnection {
  connected: boolean;
  method: 'oauth' | 'manual' | 'none';
  account: string | null;
  scopes: string[];
  connectedAt: string | null;
  tokenHealth: 'ok' | 'refresh_failed' | 'manual' | 'not_connected';
  accessTokenExpiresAt: string | null;
  lastRefreshAt: string | null;
  problem: string | null;
  /** HubSpot only: the app's webhooks, set by the hub or to set by hand. */
  webhooks?: { managed: boolean; targetUrl: string; subscriptions: { eventType: string; propertyName: string | null }[]; syncedAt: string | null };
}

export type OAuthPluginId = 'hubspot' | 'google-calendar';

const connectionKey = (pluginId: string, id: string) => ['plugins', 'connection', pluginId, id] as const;

export function useConnection(pluginId: OAuthPluginId, installationId: string) {
  return useQuery({
    queryKey: connectionKey(pluginId, installationId),
    queryFn: () =>
      call<OAuthConnection>(
        pluginId === 'hubspot'
          ? api.GET('/v1/plugins/hubspot/installations/{id}/connection', { params: { path: { id: installationId } } })
          : api.GET('/v1/plugins/google-calendar/installations/{id}/connection', { params: { path: { id: installationId } } }),
      ),
  });
}

/** Starts the vendor's OAuth consent: the hub answers the authorize URL, where the browser goes next. */
export function useConnectOAuth(pluginId: OAuthPluginId, installationId: string) {
  return useMutation({
    mutationFn: () =>
      call<{ authorizeUrl: string }>(
        pluginId === 'hubspot'
          ? api.POST('/v1/plugins/hubspot/installations/{id}/connect', { params: { path: { id: installationId } } })
          : api.POST('/v1/plugins/google-calendar/installations/{id}/connect', { params: { path: { id: installationId } } }),
      ),
  });
}

export function useDisconnectOAuth(pluginId: OAuthPluginId, installationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call<OAuthConnection>(
        pluginId === 'hubspot'
          ? api.POST('/v1/plugins/hubspot/installations/{id}/disconnect', { params: { path: { id: installationId } } })
          : api.POST('/v1/plugins/google-calendar/installations/{id}/disconnect', { params: { path: { id: installationId } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pluginKeys.all }),
  });
}

export interface GoogleCalendarChoice {
  id: string;
  summary: string;
  primary: boolean;
  accessRole: string;
  timeZone: string | null;
  watched: boolean;
}

export function useGoogleCalendars(installationId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['plugins', 'calendars', installationId],
    queryFn: () => call<{ data: GoogleCalendarChoice[] }>(api.GET('/v1/plugins/google-calendar/installations/{id}/calendars', { params: { path: { id: installationId } } })),
    enabled,
  });
}
