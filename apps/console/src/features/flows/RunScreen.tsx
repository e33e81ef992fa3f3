import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, Card, ConfirmButton, ErrorState, KeyValues, Notice, PageHeader, Spinner } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';
import { useExitRun, useFlow, useRun } from './api';
import { toCanvas } from './canvas';
import { Diagram } from './Diagram';

/** `/flows/:id/runs/:runId`: the run's path on the diagram and its timeline, refreshed while it lives. */
export function RunScreen() {
  const { id = '', runId = '' } = useParams();
  const run = useRun(runId);
  // The diagram of the version the run executes, which may be older than the latest.
  const flow = useFlow(run.data ? id : '', run.data?.flowVersion ?? undefined);
  const exit = useExitRun();
  const canWrite = useCan('flows:write');
  const live = run.data ? run.data.status === 'active' || run.data.status === 'waiting' : false;
  const path = useMemo(() => (run.data?.timeline ?? []).flatMap((t) => (t.stepId ? [t.stepId] : [])).filter((s, i, all) => all.indexOf(s) === i), [run.data]);
  const canvas = useMemo(() => (flow.data?.definition ? toCanvas(flow.data.definition, { path, current: live ? run.data?.stepId : null }) : null), [flow.data, path, live, run.data?.stepId]);

  if (run.isPending || (flow.isPending && flow.fetchStatus !== 'idle')) return <Spinner label="Loading the run…" />;
  if (run.isError) return <ErrorState message={errorMessage(run.error)} onRetry={() => void run.refetch()} />;
  if (flow.isError) return <ErrorState message={errorMessage(flow.error)} />;
  const r = run.data;
  return (
    <>
      <PageHeader
        title={`Run ${r.id.slice(0, 8)}`}
        description={
          <>
            <Link to={`/flows/${id}`}>{flow.data?.name ?? 'Flow'}</Link>
            {r.flowVersion ? ` version ${r.flowVersion}` : ''} · <Link to={`/flows/${id}/runs`}>all runs</Link>
          </>
        }
        actions={canWrite && live && <ConfirmButton label="Cancel run" confirmLabel="End this run" question="No further steps will run." busy={exit.isPending} onConfirm={() => exit.mutate(r.id)} />}
      />
      {exit.isError && <Notice tone="danger">{errorMessage(exit.error)}</Notice>}
      <div className="flow-builder" style={{ gridTemplateColumns: 'minmax(0, 1fr) 380px' }}>
        {canvas && <Diagram canvas={canvas} />}
        <div>
          <Card title="Run">
            <KeyValues
              items={[
                ['Status', <Badge tone={live ? 'info' : r.status === 'failed' ? 'danger' : 'neutral'}>{r.status}</Badge>],
                ['Contact', <Link to={`/contacts/${r.contactId}`}>{r.contactId.slice(0, 8)}</Link>],
                ['At step', r.stepId ?? '—'],
                ['Next wake-up', r.wakeAt ? `${formatDateTime(r.wakeAt)}${r.waitKind ? ` (${r.waitKind})` : ''}` : '—'],
                ['Started', formatDateTime(r.startedAt)],
                ['Ended', r.endedAt ? `${formatDateTime(r.endedAt)}${r.exitReason ? ` — ${r.exitReason}` : ''}` : '—'],
              ]}
            />
          </Card>
          <Card title="Timeline">
            <ol className="flow-timeline" aria-label="Run timeline">
              {(r.timeline ?? []).map((line, i) => (
                <li key={i}>
                  <time>{formatDateTime(line.at)}</time>
                  <strong>{line.stepId ?? 'run'}</strong> {line.outcome}
                  {line.message && (
                    <>
                      {' '}
                      — <Link to={`/messages/${line.message.id}`}>{line.message.status}</Link>: “{line.message.body}”
                    </>
                  )}
                  {typeof line.detail.reason === 'string' ? ` (${line.detail.reason})` : ''}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </>
  );
}
