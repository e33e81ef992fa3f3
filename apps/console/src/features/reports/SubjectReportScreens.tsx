import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import { QueryStates } from '../../components/ui';
import { useFlow } from '../flows/api';
import { EntityReport } from './EntityReport';

/** `/flows/:id/report`: the flow's own report (linked from the flow's page). */
export function FlowReportScreen() {
  const { id = '' } = useParams();
  const flow = useFlow(id);
  return (
    <QueryStates query={flow} describeError={errorMessage} loadingLabel="Loading the flow…">
      {(f) => <EntityReport subject={{ kind: 'flow', flowId: f.id, name: f.name, backTo: `/flows/${f.id}` }} />}
    </QueryStates>
  );
}

/** `/campaigns/:id/report`: the campaign's own report (linked from the campaign list). */
export function CampaignReportScreen() {
  const { id = '' } = useParams();
  const campaign = useQuery({
    queryKey: ['campaigns', 'one', id],
    queryFn: () => call<{ id: string; name: string }>(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })),
  });
  return (
    <QueryStates query={campaign} describeError={errorMessage} loadingLabel="Loading the campaign…">
      {(c) => <EntityReport subject={{ kind: 'campaign', campaignId: c.id, name: c.name, backTo: '/campaigns' }} />}
    </QueryStates>
  );
}
