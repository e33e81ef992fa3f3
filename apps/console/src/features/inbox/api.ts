import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { components } from '../../api/schema';
import type { ContactConsent, Disclosure, Page, Workspace } from '../../api/types';

export type Conversation = components['schemas']['ConversationResponseDto'];
export type Entry = components['schemas']['ConversationEntryResponseDto'];
export type Agent = components['schemas']['AgentResponseDto'];
export type InboxFilter = 'all' | 'mine' | 'unassigned' | 'awaiting_opt_in' | 'opted_out';

export const inboxKeys = {
  all: ['conversations'] as const,
  list: (filter: InboxFilter, q: string) => ['conversations', 'list', filter, q] as const,
  one: (id: string) => ['conversations', 'one', id] as const,
  entries: (id: string) => ['conversations', 'entries', id] as const,
  me: ['conversations', 'me'] as const,
  agents: ['conversations', 'agents'] as const,
};

export function useConversations(filter: InboxFilter, q: string) {
  return useQuery({
    queryKey: inboxKeys.list(filter, q),
    queryFn: () =>
      call<Page<Conversation>>(
        api.GET('/v1/conversations', { params: { query: { limit: 100, ...(filter === 'all' ? {} : { filter }), ...(q.trim() ? { q: q.trim() } : {}) } } }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useConversation(id: string) {
  return useQuery({ queryKey: inboxKeys.one(id), queryFn: () => call<Conversation>(api.GET('/v1/conversations/{id}', { params: { path: { id } } })) });
}

export function useEntries(id: string) {
  return useQuery({
    queryKey: inboxKeys.entries(id),
    queryFn: () => call<Page<Entry>>(api.GET('/v1/conversations/{id}/messages', { params: { path: { id }, query: { limit: 100 } } })),
  });
}

/** The agent the signed-in person texts as (created by the hub on first use for support and admin roles). */
export function useCurrentAgent() {
  return useQuery({ queryKey: inboxKeys.me, queryFn: () => call<{ agent: Agent | null }>(api.GET('/v1/agents/me')), staleTime: 60_000 });
}

export function useAgents() {
  return useQuery({ queryKey: inboxKeys.agents, queryFn: () => call<{ data: Agent[] }>(api.GET('/v1/agents')), staleTime: 60_000 });
}

export function useContactConsent(contactId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['contacts', 'consent', contactId],
    queryFn: () => call<ContactConsent>(api.GET('/v1/contacts/{id}/consent', { params: { path: { id: contactId } } })),
    enabled,
  });
}

export function useDisclosures(enabled: boolean) {
  return useQuery({ queryKey: ['disclosures'], queryFn: () => call<Page<Disclosure>>(api.GET('/v1/disclosures')), staleTime: 300_000, enabled });
}

export function useSend(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // One key per text typed: a retried request answers the first result instead of texting twice.
    mutationFn: ({ body, key }: { body: string; key: string }) =>
      call<Entry>(api.POST('/v1/conversations/{id}/messages', { params: { path: { id }, header: { 'Idempotency-Key': key } } as never, body: { body } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useMarkRead(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call<Conversation>(api.POST('/v1/conversations/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useAssign(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (agentId: string | null) => call<Conversation>(api.POST('/v1/conversations/{id}/assign', { params: { path: { id } }, body: { agentId } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useWorkspace() {
  return useQuery({ queryKey: ['workspace'], queryFn: () => call<Workspace>(api.GET('/v1/workspace')) });
}

export function useSetOptInMode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (optInMode: 'consent' | 'disclaimer') => call<Workspace>(api.PATCH('/v1/workspace', { body: { optInMode } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['workspace'] }),
  });
}

export function useStartConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (phone: string) => call<{ conversation: Conversation; created: boolean }>(api.POST('/v1/conversations', { body: { phone } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}
