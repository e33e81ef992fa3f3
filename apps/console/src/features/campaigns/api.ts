import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call } from '../../api/errors';

export interface Campaign {
  id: string;
  name: string;
  status: 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled';
  audience: { groupId?: string | null; segmentId?: string | null; excludeGroupIds?: string[]; excludeSegmentIds?: string[] };
  content: { kind: 'message' | 'flow'; messageType?: string; body?: string; flowId?: string };
  schedule: { mode: 'now' | 'at' | 'local'; at?: string; localTime?: string };
  throttlePerMinute: number | null;
  startAt: string | null;
  audienceSize: number | null;
  resolvedCount: number;
  createdAt: string;
}

export interface CampaignProgress {
  status: string;
  audienceSize: number | null;
  resolved: number;
  sent: number;
  blocked: number;
  blockedByReason: Record<string, number>;
  deferred: number;
  queued: number;
  remaining: number;
}

const LIVE = new Set(['scheduled', 'sending']);

export function useCampaigns() {
  return useQuery({
    queryKey: ['campaigns', 'list'],
    queryFn: () => call<{ data: Campaign[] }>(api.GET('/v1/campaigns')),
    // While one is on its way the list (statuses) follows it.
    refetchInterval: (query) => (query.state.data?.data.some((c) => LIVE.has(c.status)) ? 2000 : false),
  });
}

export function useCampaignProgress(id: string, live: boolean) {
  return useQuery({
    queryKey: ['campaigns', 'progress', id],
    queryFn: () => call<CampaignProgress>(api.GET('/v1/campaigns/{id}/progress', { params: { path: { id } } })),
    refetchInterval: live ? 1500 : false,
  });
}
