import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { Message, Page } from '../../api/types';

export interface MessageFilters {
  status?: string;
  reason?: string;
  type?: string;
  contactId?: string;
  since?: string;
  until?: string;
}

export const messageKeys = {
  list: (filters: MessageFilters, cursor?: string) => ['messages', 'list', filters, cursor ?? null] as const,
  one: (id: string) => ['messages', 'one', id] as const,
};

/** Dates from the filter form (yyyy-mm-dd) become the day's start / the next day's start. */
export function toQuery(filters: MessageFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value) query[key] = value;
  if (filters.since) query.since = new Date(`${filters.since}T00:00:00`).toISOString();
  if (filters.until) query.until = new Date(new Date(`${filters.until}T00:00:00`).getTime() + 86_400_000).toISOString();
  return query;
}

export function useMessages(filters: MessageFilters, cursor?: string) {
  return useQuery({
    queryKey: messageKeys.list(filters, cursor),
    queryFn: () => call<Page<Message>>(api.GET('/v1/messages', { params: { query: { ...toQuery(filters), cursor, limit: 25 } as never } })),
    placeholderData: keepPreviousData,
  });
}

export function useMessage(id: string) {
  return useQuery({ queryKey: messageKeys.one(id), queryFn: () => call<Message>(api.GET('/v1/messages/{id}', { params: { path: { id } } })) });
}
