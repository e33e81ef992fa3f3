import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { Page, StoredEvent } from '../../api/types';
import type { FlowDefinition } from './graph';

export interface Flow {
  id: string;
  name: string;
  status: 'draft' | 'active' | 'paused' | 'archived';
  templateKey: string | null;
  activeVersion: number | null;
  latestVersion: number;
  hasDraftChanges: boolean;
  createdAt: string;
  updatedAt: string;
  activatedAt: string | null;
  version?: number;
  definition?: FlowDefinition;
  liveRuns?: number;
  /** Lists: the trigger events of the current version. */
  triggerEvents?: string[];
  /** Lists: the current version sends an opt-in request (contacts are invited one at a time). */
  optIn?: boolean;
  versions?: { version: number; createdAt: string }[];
}

export interface FlowTemplate {
  key: string;
  title: string;
  category: string;
  summary: string;
  messageType: string;
  triggerEvents: string[];
  definition: FlowDefinition;
}

export interface TimelineStep {
  at: string;
  stepId: string | null;
  stepType: string | null;
  outcome: string;
  detail: Record<string, unknown>;
  message?: { id: string; status: string; body: string; sentAt: string | null; deferredUntil: string | null; reason: string | null } | null;
}

export interface Run {
  id: string;
  flowId: string;
  contactId: string;
  status: 'active' | 'waiting' | 'completed' | 'exited' | 'failed';
  stepId: string | null;
  wakeAt: string | null;
  waitKind: string | null;
  correlationKey: string | null;
  exitReason: string | null;
  startedAt: string;
  endedAt: string | null;
  timeline?: TimelineStep[];
  /** One run: the number of the version it executes. */
  flowVersion?: number | null;
}

export interface Simulation {
  status: 'completed' | 'exited' | 'waiting';
  endedAt: string | null;
  timeline: { at: string; stepId: string | null; stepType: string | null; outcome: string; detail: Record<string, unknown> }[];
  messages: { stepId: string; type: string; body: string; submittedAt: string; sendAt: string }[];
}

export interface FlowActivity {
  flowId: string;
  sent: number;
  clicks: number;
  optOuts: number;
}

export const flowKeys = {
  all: ['flows'] as const,
  list: () => ['flows', 'list'] as const,
  one: (id: string, version?: number) => ['flows', 'one', id, version ?? 'latest'] as const,
  runs: (id: string, status?: string) => ['flows', 'runs', id, status ?? 'all'] as const,
  run: (id: string) => ['flows', 'run', id] as const,
  templates: () => ['flow-templates'] as const,
  events: (type: string) => ['flows', 'sample-events', type] as const,
};

// The flow routes' answers are typed by hand here until they are read straight from schema.d.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
const body = (definition: FlowDefinition) => definition as any;

export function useFlows() {
  return useQuery({ queryKey: flowKeys.list(), queryFn: () => call<{ data: Flow[] }>(api.GET('/v1/flows', {})), refetchInterval: 15_000 });
}

export function useFlowActivity(days = 7) {
  return useQuery({
    queryKey: [...flowKeys.all, 'activity', days] as const,
    queryFn: () => call<{ since: string; until: string; data: FlowActivity[] }>(api.GET('/v1/flow-activity', { params: { query: { days } } })),
    refetchInterval: 60_000,
  });
}

export function useFlow(id: string, version?: number) {
  return useQuery({
    enabled: id !== '' && id !== 'new',
    queryKey: flowKeys.one(id, version),
    queryFn: () => call<Flow>(api.GET('/v1/flows/{id}', { params: { path: { id }, query: (version ? { version } : {}) as never } })),
  });
}

export function useTemplates() {
  return useQuery({ queryKey: flowKeys.templates(), queryFn: () => call<{ data: FlowTemplate[] }>(api.GET('/v1/flow-templates', {})), staleTime: Infinity });
}

export function useRuns(flowId: string, status?: string) {
  return useQuery({
    queryKey: flowKeys.runs(flowId, status),
    queryFn: () => call<Page<Run>>(api.GET('/v1/flows/{id}/runs', { params: { path: { id: flowId }, query: { ...(status ? { status } : {}), limit: 50 } as never } })),
    placeholderData: keepPreviousData,
    refetchInterval: 3_000,
  });
}

export function useRun(id: string) {
  return useQuery({ queryKey: flowKeys.run(id), queryFn: () => call<Run>(api.GET('/v1/runs/{id}', { params: { path: { id } } })), refetchInterval: 3_000 });
}

export function useSampleEvents(type: string | undefined) {
  return useQuery({
    queryKey: flowKeys.events(type ?? ''),
    queryFn: () => call<Page<StoredEvent>>(api.GET('/v1/events', { params: { query: { type, limit: 10 } as never } })),
    enabled: !!type,
  });
}

export function useCreateFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (definition: FlowDefinition) => call<Flow>(api.POST('/v1/flows', { body: body(definition) })),
    onSuccess: () => client.invalidateQueries({ queryKey: flowKeys.all }),
  });
}

export function useFromTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (templateKey: string) => call<Flow>(api.POST('/v1/flows/from-template', { body: { templateKey } })),
    onSuccess: () => client.invalidateQueries({ queryKey: flowKeys.all }),
  });
}

export function useSaveFlow(id: string) {
  const client = useQueryClient();
  return useMutation({
    // One save at a time (scope): the builder's saves reach the hub in the order they were made.
    scope: { id: `flow-save-${id}` },
    mutationFn: (definition: FlowDefinition) => call<Flow>(api.PUT('/v1/flows/{id}', { params: { path: { id } }, body: body(definition) })),
    onSuccess: () => client.invalidateQueries({ queryKey: flowKeys.all }),
  });
}

export function validateFlow(definition: FlowDefinition) {
  return call<{ valid: true }>(api.POST('/v1/flows/validate', { body: body(definition) }));
}

export function useLifecycle(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'activate' | 'pause' | 'archive') =>
      call<Flow>(
        action === 'activate'
          ? api.POST('/v1/flows/{id}/activate', { params: { path: { id } } })
          : action === 'pause'
            ? api.POST('/v1/flows/{id}/pause', { params: { path: { id } } })
            : api.POST('/v1/flows/{id}/archive', { params: { path: { id } } }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: flowKeys.all }),
  });
}

export interface SimulateInput {
  event: Record<string, unknown>;
  contactId?: string;
  startAt?: string;
  events?: { type: string; after: string; correlation?: Record<string, unknown> }[];
  replies?: { after: string; body: string }[];
  version?: number;
}

export function useSimulate(id: string) {
  return useMutation({ mutationFn: (input: SimulateInput) => call<Simulation>(api.POST('/v1/flows/{id}/simulate', { params: { path: { id } }, body: input as any })) });
}

export function useExitRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => call<Run>(api.POST('/v1/runs/{id}/exit', { params: { path: { id: runId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: flowKeys.all }),
  });
}
