import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { components } from '../../api/schema';

export type Report = components['schemas']['ReportResponseDto'];
export type ReportRow = components['schemas']['ReportRowDto'];
export type Funnel = components['schemas']['FunnelResponseDto'];
export type LinkRow = components['schemas']['LinkRowDto'];
export type ReportSettings = components['schemas']['ReportSettingsResponseDto'];
export type ReportSettingsChange = components['schemas']['UpdateReportSettingsDto'];
export type Recompute = components['schemas']['RecomputeResponseDto'];

export interface ReportRange {
  from: string;
  to: string;
  granularity: 'day' | 'hour';
  type?: string;
  /** A flow's or a campaign's own report (their pages) narrows every query to it. */
  flowId?: string;
  campaignId?: string;
}

/** Hourly ranges are instants (the last 48 h); daily ranges are local dates. */
function rangeQuery(range: ReportRange) {
  return {
    from: range.from,
    to: range.to,
    granularity: range.granularity,
    ...(range.type ? { type: range.type as 'marketing' } : {}),
    ...(range.flowId ? { flowId: range.flowId } : {}),
    ...(range.campaignId ? { campaignId: range.campaignId } : {}),
  };
}

export const reportKeys = {
  series: (range: ReportRange) => ['reports', 'series', range] as const,
  flows: (range: ReportRange) => ['reports', 'flows', range] as const,
  funnel: (flowId: string, range: ReportRange) => ['reports', 'funnel', flowId, range] as const,
  links: (range: ReportRange) => ['reports', 'links', range] as const,
  totals: (range: ReportRange) => ['reports', 'totals', range] as const,
  settings: ['reports', 'settings'] as const,
  recompute: ['reports', 'recompute'] as const,
};

export function useSeries(range: ReportRange) {
  return useQuery({
    queryKey: reportKeys.series(range),
    queryFn: () => call<Report>(api.GET('/v1/reports/series', { params: { query: rangeQuery(range) } })),
    placeholderData: keepPreviousData,
  });
}

export function useFlowBreakdown(range: ReportRange) {
  return useQuery({
    queryKey: reportKeys.flows(range),
    queryFn: () => call<Report>(api.GET('/v1/reports/breakdown', { params: { query: { ...rangeQuery(range), groupBy: 'flow' } } })),
  });
}

export function useFunnel(flowId: string | null, range: ReportRange) {
  return useQuery({
    queryKey: reportKeys.funnel(flowId ?? '', range),
    enabled: Boolean(flowId),
    queryFn: () => call<Funnel>(api.GET('/v1/reports/funnel/{id}', { params: { path: { id: flowId! }, query: rangeQuery(range) } })),
  });
}

export function useTopLinks(range: ReportRange) {
  return useQuery({
    queryKey: reportKeys.links(range),
    queryFn: () => call<{ data: LinkRow[] }>(api.GET('/v1/reports/links', { params: { query: { ...rangeQuery(range), limit: 10 } } })),
  });
}

/** The range's totals: the breakdown without a group, one row (none when nothing was sent). */
export function useTotals(range: ReportRange) {
  return useQuery({
    queryKey: reportKeys.totals(range),
    queryFn: () => call<Report>(api.GET('/v1/reports/breakdown', { params: { query: rangeQuery(range) } })),
    placeholderData: keepPreviousData,
  });
}

/** The CSV of the series as the API serves it (same filters). */
export function seriesCsvUrl(range: ReportRange): string {
  return csvUrl('series', range);
}

/** The CSV of a report route (`series`, `breakdown`, `links`) with the range's filters. */
export function csvUrl(route: 'series' | 'breakdown' | 'links', range: ReportRange): string {
  const query = new URLSearchParams({ ...rangeQuery(range), format: 'csv' } as Record<string, string>);
  return `/v1/reports/${route}?${query.toString()}`;
}

export function useReportSettings() {
  return useQuery({ queryKey: reportKeys.settings, queryFn: () => call<ReportSettings>(api.GET('/v1/reports/settings')) });
}

/** Saving a changed window starts the recompute (the hub does it); its progress is then followed. */
export function useSaveReportSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: ReportSettingsChange) => call<ReportSettings>(api.PUT('/v1/reports/settings', { body: change })),
    onSuccess: (saved) => {
      client.setQueryData(reportKeys.settings, saved);
      void client.invalidateQueries({ queryKey: reportKeys.recompute });
    },
  });
}

const RECOMPUTING = new Set(['pending', 'running']);

/** The recompute's progress, polled every second while one is pending or running. */
export function useRecomputeStatus() {
  return useQuery({
    queryKey: reportKeys.recompute,
    queryFn: () => call<Recompute>(api.GET('/v1/reports/recompute')),
    refetchInterval: (query) => (query.state.data && RECOMPUTING.has(query.state.data.status) ? 1000 : false),
  });
}

export function useStartRecompute() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call<Recompute>(api.POST('/v1/reports/recompute')),
    onSuccess: (status) => client.setQueryData(reportKeys.recompute, status),
  });
}
