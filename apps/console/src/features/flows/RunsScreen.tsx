import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, ConfirmButton, EmptyState, ErrorState, Notice, PageHeader, Spinner, Table } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';
import { useExitRun, useFlow, useRuns, type Run } from './api';

const LIVE = new Set(['active', 'waiting']);

/** `/flows/:id/runs`: the flow's runs (live first by filter), each openable and cancellable. */
export function RunsScreen() {
  const { id = '' } = useParams();
  const [status, setStatus] = useState('waiting');
  const flow = useFlow(id);
  const runs = useRuns(id, status || undefined);
  const exit = useExitRun();
  const canWrite = useCan('flows:write');
  return (
    <>
      <PageHeader title={`Runs of ${flow.data?.name ?? 'the flow'}`} description={<Link to={`/flows/${id}`}>Back to the builder</Link>} />
      <label className="field__label" htmlFor="run-status">
        Status
      </label>
      <select id="run-status" value={status} onChange={(e) => setStatus(e.target.value)}>
        <option value="">all</option>
        {['active', 'waiting', 'completed', 'exited', 'failed'].map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      {exit.isError && <Notice tone="danger">{errorMessage(exit.error)}</Notice>}
      {runs.isPending ? (
        <Spinner label="Loading runs…" />
      ) : runs.isError ? (
        <ErrorState message={errorMessage(runs.error)} onRetry={() => void runs.refetch()} />
      ) : runs.data.data.length === 0 ? (
        <EmptyState title="No runs with this status" />
      ) : (
        <Table<Run>
          caption="Runs"
          rowKey={(r) => r.id}
          rows={runs.data.data}
          columns={[
            { header: 'Run', cell: (r) => <Link to={`/flows/${id}/runs/${r.id}`}>{r.id.slice(0, 8)}</Link> },
            { header: 'Status', cell: (r) => <Badge tone={LIVE.has(r.status) ? 'info' : r.status === 'failed' ? 'danger' : 'neutral'}>{r.status}</Badge> },
            { header: 'At step', cell: (r) => r.stepId ?? '—' },
            { header: 'Next', cell: (r) => (r.wakeAt ? formatDateTime(r.wakeAt) : '—') },
            { header: 'Started', cell: (r) => formatDateTime(r.startedAt), secondary: true },
            {
              header: 'Actions',
              cell: (r) =>
                canWrite && LIVE.has(r.status) ? (
                  <ConfirmButton label="Cancel run" confirmLabel="End this run" question="No further steps will run." busy={exit.isPending && exit.variables === r.id} onConfirm={() => exit.mutate(r.id)} />
                ) : null,
            },
          ]}
        />
      )}
    </>
  );
}
