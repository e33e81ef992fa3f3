import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, EmptyState, ErrorState, PageHeader, Spinner, Table } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';
import { useFlowActivity, useFlows, type Flow } from './api';

const TONE = { active: 'success', draft: 'neutral', paused: 'warning', archived: 'neutral' } as const;

/** `/flows`: every flow with its trigger, status, versions and live runs. */
export function FlowsScreen() {
  const flows = useFlows();
  const canWrite = useCan('flows:write');
  const activity = useFlowActivity(7);
  const counts = (id: string) => activity.data?.data.find((a) => a.flowId === id) ?? { sent: 0, clicks: 0, optOuts: 0 };
  return (
    <>
      <PageHeader
        title="Flows"
        description="Automations that text a person when something happens: a checkout left, an appointment booked, a reply."
        actions={
          canWrite && (
            <>
              <Link className="btn btn--secondary" to="/flows/templates">
                Start from a template
              </Link>{' '}
              <Link className="btn btn--primary" to="/flows/new">
                New flow
              </Link>
            </>
          )
        }
      />
      {flows.isPending ? (
        <Spinner label="Loading flows…" />
      ) : flows.isError ? (
        <ErrorState message={errorMessage(flows.error)} onRetry={() => void flows.refetch()} />
      ) : flows.data.data.length === 0 ? (
        <EmptyState title="No flows yet">
          <p>
            <Link to="/flows/templates">Start from a template</Link> or <Link to="/flows/new">build one on an empty canvas</Link>.
          </p>
        </EmptyState>
      ) : (
        <Table<Flow>
          caption="Flows"
          rowKey={(f) => f.id}
          rows={flows.data.data}
          columns={[
            { header: 'Name', cell: (f) => <Link to={`/flows/${f.id}`}>{f.name}</Link> },
            { header: 'Trigger', cell: (f) => (f.triggerEvents ?? f.definition?.trigger.events ?? []).join(', ') || 'enrolled or invited' },
            { header: 'Status', cell: (f) => <Badge tone={TONE[f.status]}>{f.status}{f.hasDraftChanges ? ' · draft changes' : ''}</Badge> },
            { header: 'Active version', cell: (f) => (f.activeVersion === null ? '—' : `v${f.activeVersion}`) },
            { header: 'Live runs', cell: (f) => <Link to={`/flows/${f.id}/runs`}>{f.liveRuns ?? 0}</Link> },
            { header: 'Sent (7 days)', cell: (f) => counts(f.id).sent },
            { header: 'Clicks', cell: (f) => counts(f.id).clicks },
            { header: 'Opt-outs', cell: (f) => counts(f.id).optOuts },
            { header: 'Updated', cell: (f) => formatDateTime(f.updatedAt), secondary: true },
          ]}
        />
      )}
    </>
  );
}
