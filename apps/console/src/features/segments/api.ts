import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  conditions: Record<string, unknown>;
  createdAt: string;
}

export function useSegments() {
  return useQuery({ queryKey: ['segments', 'list'], queryFn: () => call<{ data: Segment[] }>(api.GET('/v1/segments')) });
}

/** The live count of an unsaved definition; the previous count stays while the next one loads. */
export function useSegmentPreview(conditions: Record<string, unknown> | null) {
  return useQuery({
    queryKey: ['segments', 'preview', conditions],
    queryFn: () => call<{ count: number }>(api.POST('/v1/segments/preview', { body: { conditions } as never })),
    enabled: conditions !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useSegmentCount(id: string | null) {
  return useQuery({
    queryKey: ['segments', 'count', id],
    queryFn: () => call<{ count: number }>(api.GET('/v1/segments/{id}/count', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}
