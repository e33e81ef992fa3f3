import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { call, errorMessage } from '../../api/errors';
import { Badge, BadgeTone, Button, Card, EmptyState, ErrorState, Field, Notice, PageHeader, ProgressBar, Spinner, Table } from '../../components/ui';
import { useCan } from '../auth/session';
import { useGroups } from '../contacts/api';
import { useSegmentCount, useSegments } from '../segments/api';
import { Campaign, useCampaignProgress, useCampaigns } from './api';

const TONES: Record<Campaign['status'], BadgeTone> = { draft: 'neutral', scheduled: 'info', sending: 'warning', paused: 'warning', completed: 'success', cancelled: 'danger' };

export function CampaignsScreen() {
  const campaigns = useCampaigns();
  const canWrite = useCan('flows:write');
  return (
    <>
      <PageHeader title="Campaigns" description="One message (or a flow) to a group or a segment, now, at a time, or at a local time for each recipient. Every text is still checked when it is sent." />
      {canWrite && <NewCampaign />}
      <Card title="All campaigns">
        {campaigns.isPending ? (
          <Spinner label="Loading campaigns…" />
        ) : campaigns.isError ? (
          <ErrorState message={errorMessage(campaigns.error)} onRetry={() => void campaigns.refetch()} />
        ) : campaigns.data.data.length === 0 ? (
          <EmptyState title="No campaigns yet" />
        ) : (
          <Table
            caption="Campaigns"
            rows={campaigns.data.data}
            rowKey={(c) => c.id}
            columns={[
              { header: 'Name', cell: (c) => (c.status === 'draft' ? c.name : <Link to={`/campaigns/${c.id}/report`} aria-label={`${c.name}: report`}>{c.name}</Link>) },
              { header: 'Status', cell: (c) => <Badge tone={TONES[c.status]}>{c.status}</Badge> },
              { header: 'Progress', cell: (c) => (c.status === 'draft' ? '—' : <Progress campaign={c} />) },
              { header: 'Actions', cell: (c) => (canWrite ? <Actions campaign={c} /> : null) },
            ]}
          />
        )}
      </Card>
    </>
  );
}

function Progress({ campaign }: { campaign: Campaign }) {
  const progress = useCampaignProgress(campaign.id, campaign.status === 'sending' || campaign.status === 'scheduled');
  if (!progress.data) return <span>…</span>;
  const p = progress.data;
  const total = p.audienceSize ?? 0;
  const decided = Math.max(0, total - p.remaining);
  const blocked = Object.entries(p.blockedByReason).map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${n.toLocaleString()}`).join(', ');
  return (
    <div data-testid={`progress-${campaign.id}`}>
      {p.audienceSize !== null && <ProgressBar value={decided} max={Math.max(total, 1)} label={`${decided.toLocaleString()} of ${total.toLocaleString()} decided`} />}
      <small>
        {p.sent.toLocaleString()} sent · {p.blocked.toLocaleString()} blocked{blocked ? ` (${blocked})` : ''} · {p.deferred.toLocaleString()} deferred · {p.remaining.toLocaleString()} remaining
      </small>
    </div>
  );
}

function Actions({ campaign }: { campaign: Campaign }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [testPhone, setTestPhone] = useState('');
  const [testResult, setTestResult] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (action: 'schedule' | 'pause' | 'resume' | 'cancel') =>
      call(api.POST(`/v1/campaigns/{id}/${action}` as '/v1/campaigns/{id}/pause', { params: { path: { id: campaign.id } }, ...(action === 'schedule' && { body: {} as never }) })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['campaigns'] }),
    onError: (e) => setError(errorMessage(e)),
  });
  const test = useMutation({
    mutationFn: () => call<{ messageId: string; status: string }>(api.POST('/v1/campaigns/{id}/test-send', { params: { path: { id: campaign.id } }, body: { phone: testPhone } as never })),
    onSuccess: (r) => setTestResult(`Test message ${r.status}; see Messages for its outcome.`),
    onError: (e) => setTestResult(errorMessage(e)),
  });
  const s = campaign.status;
  return (
    <div>
      {s === 'draft' && <Button variant="primary" onClick={() => act.mutate('schedule')} busy={act.isPending}>Schedule</Button>}{' '}
      {(s === 'scheduled' || s === 'sending') && <Button onClick={() => act.mutate('pause')}>Pause</Button>}{' '}
      {s === 'paused' && <Button onClick={() => act.mutate('resume')}>Resume</Button>}{' '}
      {['draft', 'scheduled', 'sending', 'paused'].includes(s) && <Button onClick={() => act.mutate('cancel')}>Cancel campaign</Button>}
      {s === 'draft' && (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            test.mutate();
          }}
        >
          <input className="input" aria-label={`Test number for ${campaign.name}`} placeholder="+1 312 555 0100" value={testPhone} onChange={(e) => setTestPhone(e.target.value)} />
          <Button type="submit" busy={test.isPending}>Send test to me</Button>
        </form>
      )}
      {testResult && <small role="status">{testResult}</small>}
      {error && <span className="field__error">{error}</span>}
    </div>
  );
}

function NewCampaign() {
  const queryClient = useQueryClient();
  const groups = useGroups();
  const segments = useSegments();
  const [name, setName] = useState('');
  const [audience, setAudience] = useState('');
  const [exclude, setExclude] = useState('');
  const [messageType, setMessageType] = useState<'marketing' | 'transactional'>('marketing');
  const [body, setBody] = useState('{{ workspace.brandName }}: ');
  const [mode, setMode] = useState<'now' | 'at' | 'local'>('now');
  const [when, setWhen] = useState('');
  const [throttle, setThrottle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [kind, id] = audience.split(':');
  const segmentCount = useSegmentCount(kind === 'segment' ? id : null);
  const group = groups.data?.data.find((g) => g.id === id);
  const size = kind === 'segment' ? segmentCount.data?.count : group?.memberCount;
  const create = useMutation({
    mutationFn: () =>
      call<Campaign>(
        api.POST('/v1/campaigns', {
          body: {
            name,
            audience: { ...(kind === 'group' ? { groupId: id } : { segmentId: id }), ...(exclude && { excludeGroupIds: [exclude] }) },
            content: { kind: 'message', messageType, body },
            schedule: mode === 'now' ? { mode } : mode === 'at' ? { mode, at: new Date(when).toISOString() } : { mode, localTime: when },
            throttlePerMinute: throttle ? Number(throttle) : null,
          } as never,
        }),
      ),
    onSuccess: () => {
      setName('');
      return queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
    onError: (e) => setError(errorMessage(e)),
  });
  return (
    <Card title="New campaign">
      {error && <Notice tone="danger">{error}</Notice>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          if (!name.trim()) return setError('Name the campaign.');
          if (!audience) return setError('Choose an audience.');
          create.mutate();
        }}
      >
        <div className="form-row">
          <Field label="Name">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Audience" hint={size === undefined ? undefined : `${size.toLocaleString()} contacts now`}>
            <select className="input" value={audience} onChange={(e) => setAudience(e.target.value)}>
              <option value="">choose…</option>
              {segments.data?.data.map((s) => (
                <option key={s.id} value={`segment:${s.id}`}>Segment: {s.name}</option>
              ))}
              {groups.data?.data.map((g) => (
                <option key={g.id} value={`group:${g.id}`}>Group: {g.name}</option>
              ))}
            </select>
          </Field>
          <Field label="Leave out group (optional)">
            <select className="input" value={exclude} onChange={(e) => setExclude(e.target.value)}>
              <option value="">none</option>
              {groups.data?.data.map((g) => (
                <option key={g.id} value={g.id}>{g.name}</option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-row">
          <Field label="Message type">
            <select className="input" value={messageType} onChange={(e) => setMessageType(e.target.value as 'marketing' | 'transactional')}>
              <option value="marketing">marketing</option>
              <option value="transactional">transactional</option>
            </select>
          </Field>
          <Field label="Message" hint="Liquid: {{ contact.firstName }}, {{ workspace.brandName }}…">
            <textarea className="input" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
          </Field>
        </div>
        <div className="form-row">
          <Field label="When">
            <select className="input" value={mode} onChange={(e) => setMode(e.target.value as 'now' | 'at' | 'local')}>
              <option value="now">as soon as scheduled</option>
              <option value="at">at a time (your zone)</option>
              <option value="local">at a local time for each recipient</option>
            </select>
          </Field>
          {mode !== 'now' && (
            <Field label="Date and time">
              <input className="input" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />
            </Field>
          )}
          <Field label="Per minute at most (optional)">
            <input className="input" inputMode="numeric" value={throttle} onChange={(e) => setThrottle(e.target.value)} />
          </Field>
        </div>
        <Button type="submit" variant="primary" busy={create.isPending}>Create draft</Button>
      </form>
    </Card>
  );
}
