import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { Session } from '../../api/types';
import { Badge, Button, Card, ErrorState, Notice, Spinner, Table } from '../../components/ui';
import { formatDateTime } from '../../lib/format';

/** Where you are signed in; end any other session. */
export function Sessions() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: () => call<{ items: Session[] }>(api.GET('/v1/auth/sessions', {})) });
  const end = useMutation({
    mutationFn: (id: string) => call(api.DELETE('/v1/auth/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });
  return (
    <Card title="Your sessions">
      {end.isError && <Notice tone="danger">{errorMessage(end.error)}</Notice>}
      {sessions.isPending ? (
        <Spinner />
      ) : sessions.isError ? (
        <ErrorState message={errorMessage(sessions.error)} />
      ) : (
        <Table
          caption="Sessions"
          rows={sessions.data.items}
          rowKey={(s) => s.id}
          columns={[
            { header: 'Browser', cell: (s) => <span title={s.userAgent ?? ''}>{browserOf(s.userAgent)}{s.current && <> <Badge tone="info">this one</Badge></>}</span> },
            { header: 'IP', cell: (s) => s.ip ?? '—', secondary: true },
            { header: 'Signed in', cell: (s) => formatDateTime(s.createdAt), secondary: true },
            { header: 'Last seen', cell: (s) => formatDateTime(s.lastSeenAt) },
            { header: 'Actions', cell: (s) => (s.current ? null : <Button onClick={() => end.mutate(s.id)}>Sign out</Button>) },
          ]}
        />
      )}
    </Card>
  );
}

function browserOf(agent: string | null): string {
  if (!agent) return 'Unknown browser';
  const match = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(agent);
  const os = /(Windows|Mac OS X|Android|iPhone|Linux)/.exec(agent)?.[1];
  return [match?.[1] === 'Edg' ? 'Edge' : match?.[1], os].filter(Boolean).join(' on ') || agent.slice(0, 40);
}
