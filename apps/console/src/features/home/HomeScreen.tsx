import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import type { ImportJob, LedgerEntry, Message, Page } from '../../api/types';
import { Badge, Card, EmptyState, ErrorState, PageHeader, Spinner } from '../../components/ui';
import { useCan, useMe } from '../auth/session';
import { usePlugins } from '../plugins/api';
import { healthOf } from '../plugins/health';

const COUNT_LIMIT = 500;

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

function startOfToday(): string {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
}

/** A count of today's messages in a status; "500+" when there are more than one page. */
function useTodayCount(status: string, enabled: boolean) {
  return useQuery({
    queryKey: ['messages', 'today', status],
    queryFn: async () => {
      const page = await call<Page<Message>>(api.GET('/v1/messages', { params: { query: { status, since: startOfToday(), limit: COUNT_LIMIT } as never } }));
      return { count: page.data.length, more: Boolean(page.nextCursor) };
    },
    enabled,
    refetchInterval: 30_000,
  });
}

function useOptOutsToday(enabled: boolean) {
  return useQuery({
    queryKey: ['consent', 'opt-outs-today'],
    queryFn: async () => {
      const entries = await call<LedgerEntry[]>(api.GET('/v1/consent/export', { params: { query: { format: 'json', from: startOfToday() } as never }, parseAs: 'json' }));
      return { count: new Set(entries.filter((e) => e.state === 'opted_out').map((e) => `${e.occurredAt}:${(e as { contactId?: string }).contactId ?? ''}`)).size, more: false };
    },
    enabled,
    refetchInterval: 30_000,
  });
}

export function HomeScreen() {
  const me = useMe();
  const canMessages = useCan('messages:read');
  const canPlugins = useCan('plugins:read');
  const canConsent = useCan('consent:read');
  const sent = useTodayCount('sent', canMessages);
  const delivered = useTodayCount('delivered', canMessages);
  const blocked = useTodayCount('blocked', canMessages);
  const failed = useTodayCount('failed', canMessages);
  const optOuts = useOptOutsToday(canConsent);
  const plugins = usePlugins();
  const canImport = useCan('contacts:import');
  const imports = useQuery({
    queryKey: ['imports', 'failed-today'],
    queryFn: () => call<Page<ImportJob>>(api.GET('/v1/imports', { params: { query: { limit: 20 } as never } })),
    enabled: canImport,
    select: (page) => page.data.filter((job) => job.status === 'failed' && job.createdAt >= startOfToday()),
  });
  const attention = (plugins.data?.data ?? []).filter((p) => healthOf(p).attention);
  const stat = (q: typeof sent) => (q.isPending ? '…' : q.isError ? '—' : `${q.data.count}${q.data.more ? '+' : ''}`);
  return (
    <>
      <PageHeader title={`Welcome, ${me.data?.user.displayName ?? ''}`} description={`${me.data?.workspace.brandName ?? ''} today`} />
      {canMessages && (
        <div className="stats">
          <Card><div className="stat">{sent.isPending || delivered.isPending ? '…' : (sent.data?.count ?? 0) + (delivered.data?.count ?? 0)}</div><div className="stat-label">Texts sent today</div></Card>
          <Card><div className="stat"><Link to={`/messages?status=blocked&since=${startOfToday().slice(0, 10)}`}>{stat(blocked)}</Link></div><div className="stat-label">Blocked today</div></Card>
          {canConsent && <Card><div className="stat">{stat(optOuts)}</div><div className="stat-label">Opt-outs today</div></Card>}
          <Card><div className="stat">{stat(failed)}</div><div className="stat-label">Failed today</div></Card>
        </div>
      )}
      <Card title="Needs attention">
        {plugins.isPending && canPlugins ? (
          <Spinner />
        ) : attention.length === 0 && !(failed.data && failed.data.count > 0) && !imports.data?.length ? (
          <EmptyState title="Nothing needs attention" />
        ) : (
          <ul>
            {attention.map((p) => (
              <li key={p.id}>
                <Link to={`/plugins/${p.id}`}>{p.name}</Link>: {p.installation?.status.lastError?.message ?? `${p.installation?.status.counts.events?.failed ?? 0} failed events`}
              </li>
            ))}
            {imports.data?.map((job) => (
              <li key={job.id}>
                <Link to="/imports">Import {job.fileName ?? job.id} failed</Link>: {job.error}
              </li>
            ))}
            {failed.data && failed.data.count > 0 && (
              <li>
                <Link to="/messages?status=failed">{plural(failed.data.count, 'message')} failed today</Link>
              </li>
            )}
          </ul>
        )}
      </Card>
      {canPlugins && (
        <Card title="Plugins" actions={<Link to="/plugins">All plugins</Link>}>
          {plugins.isPending ? (
            <Spinner />
          ) : plugins.isError ? (
            <ErrorState message={errorMessage(plugins.error)} onRetry={() => void plugins.refetch()} />
          ) : plugins.data.data.filter((p) => p.installation).length === 0 ? (
            <EmptyState title="No plugin installed yet">
              <Link to="/plugins">Connect your first system</Link>
            </EmptyState>
          ) : (
            <ul className="verdicts">
              {plugins.data.data
                .filter((p) => p.installation)
                .map((p) => {
                  const health = healthOf(p);
                  return (
                    <li key={p.id}>
                      <Link to={`/plugins/${p.id}`}>{p.name}</Link>
                      <span><Badge tone={health.tone}>{health.label}</Badge></span>
                      <span className="muted">{plural(p.installation!.status.counts.events?.processed ?? 0, 'event')} processed</span>
                    </li>
                  );
                })}
            </ul>
          )}
        </Card>
      )}
    </>
  );
}
