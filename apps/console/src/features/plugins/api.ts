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
