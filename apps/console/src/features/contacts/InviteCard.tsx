import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import type { Contact } from '../../api/types';
import { Button, Card, Notice } from '../../components/ui';
import { useCan } from '../auth/session';
import { useFlows } from '../flows/api';
import { useContactGroups, useInviteContact } from './api';

/**
 * Opt-in requests go out one person at a time, on purpose (U.S. opt-in rules; seed 001's
 * "Invite Participants"): pick the opt-in flow and the group the person is invited from, then
 * Invite. The hub refuses group-wide enrolment into opt-in flows.
 */
export function InviteCard({ contact }: { contact: Contact }) {
  const canInvite = useCan('flows:write');
  const flows = useFlows();
  const memberships = useContactGroups(contact);
  const invite = useInviteContact(contact.id);
  const [flowId, setFlowId] = useState('');
  const [groupId, setGroupId] = useState('');
  if (!canInvite) return null;
  const optInFlows = (flows.data?.data ?? []).filter((f) => f.optIn && f.status === 'active');
  const ownGroups = memberships.groups.filter((g) => !g.system);
  return (
    <Card title="Invite to opt in">
      {flows.isSuccess && optInFlows.length === 0 ? (
        <p className="muted">
          No active opt-in flow yet. <Link to="/flows/templates">Start one from a template</Link> (for example “Opt-in from the website”).
        </p>
      ) : (
        <form
          className="form-actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (flowId) invite.mutate({ flowId, ...(groupId && { groupId }) });
          }}
        >
          <label htmlFor="invite-flow" className="field__label">Opt-in flow</label>
          <select id="invite-flow" className="select" style={{ width: 'auto' }} value={flowId} onChange={(e) => setFlowId(e.target.value)}>
            <option value="">Choose a flow</option>
            {optInFlows.map((f) => (
              <option key={f.id} value={f.id}>{f.name}</option>
            ))}
          </select>
          <label htmlFor="invite-group" className="field__label">From group</label>
          <select id="invite-group" className="select" style={{ width: 'auto' }} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">No group</option>
            {ownGroups.map((g) => (
              <option key={g.id} value={g.id}>{g.name}</option>
            ))}
          </select>
          <Button type="submit" busy={invite.isPending} disabled={!flowId}>Invite</Button>
        </form>
      )}
      {invite.isSuccess && <Notice tone="success">Invited: the opt-in request is on its way. Their answer (Y, N or STOP) decides their consent.</Notice>}
      {invite.isError && <Notice tone="danger">{errorMessage(invite.error)}</Notice>}
    </Card>
  );
}
