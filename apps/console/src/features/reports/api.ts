import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';
import type { components } from '../../api/schema';

export type Report = components['schemas']['ReportResponseDto'];
export type ReportRow = components['schemas']['ReportRowDto'];
export type Funnel = components['schemas']['FunnelResponseDto'];
export type LinkRow = components['schemas']['LinkRowDto'];

export interface ReportRange {
  from: string;
  to: string;
  granularity: 'day' | 'hour';
  type?: string;
}

/** Hourly ranges are instants (the last 48 h); daily ranges are local dates. */
function rangeQuery(range: ReportRange) {
  return { from: range.from, to: range.to, granularity: range.granularity, ...(range.type ? { type: range.type as 'marketing' } : {}) };
}

export const reportKeys = {
  series: (range: ReportRange) => ['reports', 'series', range] as const,
  flows: (range: ReportRange) => ['reports', 'flows', range] as const,
  funnel: (flowId: string, range: ReportRange) => ['reports', 'funnel', flowId, range] as const,
  links: (range: ReportRange) => ['reports', 'links', range] as const,
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

/** The CSV of the series as the API serves it (same filters). */
export function seriesCsvUrl(range: ReportRange): string {
  const query = new URLSearchParams({ ...rangeQuery(range), format: 'csv' } as Record<string, string>);
  return `/v1/reports/series?${query.toString()}`;
}
