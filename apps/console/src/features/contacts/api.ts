import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { CheckResult, Contact, ContactConsent, Disclosure, Group, Message, Page } from '../../api/types';

export interface ContactFilters {
  q?: string;
  consentType?: string;
  consentState?: string;
  group?: string;
}

export const contactKeys = {
  all: ['contacts'] as const,
  list: (filters: ContactFilters, cursor?: string) => ['contacts', 'list', filters, cursor ?? null] as const,
  one: (id: string) => ['contacts', 'one', id] as const,
  consent: (id: string) => ['contacts', 'consent', id] as const,
  messages: (id: string) => ['messages', 'list', { contactId: id }] as const,
};

function clean<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

export function useContacts(filters: ContactFilters, cursor?: string) {
  return useQuery({
    queryKey: contactKeys.list(filters, cursor),
    queryFn: () => call<Page<Contact>>(api.GET('/v1/contacts', { params: { query: clean({ ...filters, cursor, limit: 25 }) as never } })),
    placeholderData: keepPreviousData,
  });
}

export function useContact(id: string) {
  return useQuery({ queryKey: contactKeys.one(id), queryFn: () => call<Contact>(api.GET('/v1/contacts/{id}', { params: { path: { id } } })) });
}

export function useContactConsent(id: string) {
  return useQuery({ queryKey: contactKeys.consent(id), queryFn: () => call<ContactConsent>(api.GET('/v1/contacts/{id}/consent', { params: { path: { id } } })) });
}

export function useContactMessages(id: string) {
  return useQuery({
    queryKey: contactKeys.messages(id),
    queryFn: () => call<Page<Message>>(api.GET('/v1/messages', { params: { query: { contactId: id, limit: 20 } as never } })),
  });
}

export function useDisclosures() {
  return useQuery({ queryKey: ['disclosures'], queryFn: () => call<Page<Disclosure>>(api.GET('/v1/disclosures')), staleTime: 300_000 });
}

export function useGroups() {
  return useQuery({ queryKey: ['groups', 'list'], queryFn: () => call<Page<Group>>(api.GET('/v1/groups')) });
}

/** Groups are checked at most this many per contact page (one filtered contact search each). */
const MEMBERSHIP_GROUPS = 25;

/**
 * The groups a contact belongs to. The hub lists members per group, not groups per contact, so
 * each group is asked whether its members include this phone (one small query per group).
 */
export function useContactGroups(contact: Contact) {
  const groups = useGroups();
  const candidates = (groups.data?.data ?? []).slice(0, MEMBERSHIP_GROUPS);
  const results = useQueries({
    queries: candidates.map((group) => ({
      queryKey: ['groups', 'membership', group.id, contact.id],
      queryFn: () => call<Page<Contact>>(api.GET('/v1/contacts', { params: { query: { group: group.id, q: contact.phone ?? contact.id, limit: 25 } as never } })),
      enabled: Boolean(contact.phone),
      select: (page: Page<Contact>) => page.data.some((c) => c.id === contact.id),
    })),
  });
  return {
    isPending: groups.isPending || results.some((r) => r.isPending && r.fetchStatus !== 'idle'),
    groups: candidates.filter((_, i) => results[i]?.data === true),
    partial: (groups.data?.data.length ?? 0) > MEMBERSHIP_GROUPS,
  };
}

export function useCheck() {
  return useMutation({
    mutationFn: (body: { contactId: string; type: string }) => call<CheckResult>(api.POST('/v1/messages/check', { body: body as never })),
  });
}

export function useRecordOptOut(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { types: string[] | 'all'; text: string }) =>
      call(api.POST('/v1/contacts/{id}/consent', { params: { path: { id } }, body: { types: body.types, state: 'opted_out', source: 'agent', evidence: { text: body.text } } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contactKeys.consent(id) }),
  });
}

/** `onErased` runs before the refetch (which unmounts the erase button, so no per-call callback would). */
export function useErase(id: string, onErased: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call<Contact>(api.DELETE('/v1/contacts/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      onErased();
      return queryClient.invalidateQueries({ queryKey: contactKeys.all });
    },
  });
}

export function useAddToGroup(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (groupId: string) => call(api.POST('/v1/groups/{id}/members', { params: { path: { id: groupId } }, body: { contactIds: [contactId] } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['groups'] }),
  });
}

/** Seed 001's "Invite": one contact into an opt-in flow, from a group (the hub records who clicked). */
export function useInviteContact(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { flowId: string; groupId?: string }) =>
      call<{ runId: string; flowId: string }>(api.POST('/v1/contacts/{id}/invite', { params: { path: { id: contactId } }, body: input })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: contactKeys.consent(contactId) });
      void queryClient.invalidateQueries({ queryKey: contactKeys.messages(contactId) });
    },
  });
}
