import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ApiError, call, errorMessage } from '../../api/errors';
import type { components } from '../../api/schema';
import { Badge, Button, Card, ConfirmButton, CopyField, EmptyState, ErrorState, Field, Notice, Spinner, Table, type BadgeTone } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useCan } from '../auth/session';
import './webhooks.css';

type Endpoint = components['schemas']['WebhookEndpointResponseDto'];
type EndpointWithSecret = components['schemas']['WebhookEndpointWithSecretResponseDto'];
type Delivery = components['schemas']['WebhookDeliveryResponseDto'];
type EventType = components['schemas']['WebhookEventTypeDto'];

const STATUS_TONE: Record<Delivery['status'], BadgeTone> = { pending: 'warning', sending: 'info', succeeded: 'success', failed: 'danger' };

/**
 * Settings → Webhooks: URLs that receive the workspace's events (consent changes, message
 * statuses, inbound texts, finished runs, imports and campaigns), signed with Standard Webhooks.
 * The secret is shown once; each endpoint has its delivery log with replay (docs/webhooks.md).
 */
export function Webhooks() {
  const canWrite = useCan('settings:write');
  const endpoints = useQuery({ queryKey: ['webhook-endpoints'], queryFn: () => call<{ data: Endpoint[] }>(api.GET('/v1/webhook-endpoints')) });
  const types = useQuery({ queryKey: ['webhook-event-types'], queryFn: () => call<{ data: EventType[] }>(api.GET('/v1/webhook-endpoints/event-types')) });
  const [shownSecret, setShownSecret] = useState<EndpointWithSecret | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <Card title="Webhooks">
      <p className="muted">
        Send this workspace’s events to your helpdesk, loyalty or analytics platform. Every request is signed with{' '}
        <a href="https://www.standardwebhooks.com" target="_blank" rel="noreferrer">Standard Webhooks</a> (headers <code>webhook-id</code>, <code>webhook-timestamp</code>,{' '}
        <code>webhook-signature</code>): verify it with their library and the endpoint’s secret. Failed deliveries are retried for more than a day.
      </p>
      {shownSecret && (
        <Notice tone="success">
          <CopyField label={`Signing secret of ${shownSecret.url} — copy it into the receiver now, it is not shown again`} value={shownSecret.secret} />
        </Notice>
      )}
      {canWrite && types.data && <NewEndpoint eventTypes={types.data.data} onCreated={setShownSecret} />}
      {endpoints.isPending ? (
        <Spinner />
      ) : endpoints.isError ? (
        <ErrorState message={errorMessage(endpoints.error)} onRetry={() => void endpoints.refetch()} />
      ) : endpoints.data.data.length === 0 ? (
        <EmptyState title="No webhook endpoints">Add a URL above to receive events.</EmptyState>
      ) : (
        <ul className="webhook-endpoints">
          {endpoints.data.data.map((endpoint) => (
            <EndpointItem key={endpoint.id} endpoint={endpoint} canWrite={canWrite} open={open === endpoint.id} onToggle={() => setOpen(open === endpoint.id ? null : endpoint.id)} onSecret={setShownSecret} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function NewEndpoint({ eventTypes, onCreated }: { eventTypes: EventType[]; onCreated: (endpoint: EndpointWithSecret) => void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () => call<EndpointWithSecret>(api.POST('/v1/webhook-endpoints', { body: { url, description: description || undefined, eventTypes: chosen as EventType['type'][] } })),
    onSuccess: (endpoint) => {
      onCreated(endpoint);
      setUrl('');
      setDescription('');
      setChosen([]);
      return queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] });
    },
  });
  const fieldError = (field: string) => (create.error instanceof ApiError ? create.error.fieldMessage(field) : undefined);
  return (
    <form
      className="webhook-new"
      aria-label="Add a webhook endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <div className="form-row">
        <Field label="Endpoint URL" error={fieldError('url')}>
          <input className="input" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://helpdesk.example.com/hooks/optline" required />
        </Field>
        <Field label="Description (optional)" error={fieldError('description')}>
          <input className="input" value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Helpdesk: opt-outs and replies" maxLength={200} />
        </Field>
      </div>
      <fieldset className="webhook-events">
        <legend>Events to send</legend>
        {eventTypes.map((t) => (
          <label key={t.type} className="checkbox">
            <input type="checkbox" checked={chosen.includes(t.type)} onChange={(e) => setChosen(e.target.checked ? [...chosen, t.type] : chosen.filter((c) => c !== t.type))} />
            <span>
              <code>{t.type}</code> <span className="muted">— {t.description}</span>
            </span>
          </label>
        ))}
        {fieldError('eventTypes') && <p className="field__error" role="alert">{fieldError('eventTypes')}</p>}
      </fieldset>
      {create.isError && !fieldError('url') && !fieldError('eventTypes') && <Notice tone="danger">{errorMessage(create.error)}</Notice>}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!url.trim() || chosen.length === 0}>
          Add endpoint
        </Button>
      </div>
    </form>
  );
}

function EndpointItem({ endpoint, canWrite, open, onToggle, onSecret }: { endpoint: Endpoint; canWrite: boolean; open: boolean; onToggle: () => void; onSecret: (e: EndpointWithSecret) => void }) {
  const queryClient = useQueryClient();
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['webhook-endpoints'] }), queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', endpoint.id] })]);
  const path = { params: { path: { id: endpoint.id } } };
  const test = useMutation({ mutationFn: () => call<Delivery>(api.POST('/v1/webhook-endpoints/{id}/test', path)), onSuccess: refresh });
  const enable = useMutation({ mutationFn: (enabled: boolean) => call<Endpoint>(api.PATCH('/v1/webhook-endpoints/{id}', { ...path, body: { enabled } })), onSuccess: refresh });
  const rotate = useMutation({ mutationFn: () => call<EndpointWithSecret>(api.POST('/v1/webhook-endpoints/{id}/rotate-secret', path)), onSuccess: (e) => { onSecret(e); return refresh(); } });
  const remove = useMutation({ mutationFn: () => call(api.DELETE('/v1/webhook-endpoints/{id}', path)), onSuccess: refresh });
  const failure = [test, enable, rotate, remove].find((m) => m.isError);
  return (
    <li className="webhook-endpoint" aria-label={`Webhook endpoint ${endpoint.url}`}>
      <div className="webhook-endpoint__head">
        <div>
          <strong className="webhook-endpoint__url">{endpoint.url}</strong>{' '}
          {endpoint.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="danger">disabled</Badge>}
          {endpoint.description && <div className="muted">{endpoint.description}</div>}
          <div className="muted">
            {endpoint.eventTypes.map((t) => <code key={t} className="webhook-endpoint__type">{t}</code>)} · secret …{endpoint.secretHint}
          </div>
        </div>
        <div className="form-actions">
          <Button onClick={onToggle} aria-expanded={open}>{open ? 'Hide deliveries' : 'Deliveries'}</Button>
          {canWrite && endpoint.enabled && <Button busy={test.isPending} onClick={() => test.mutate()}>Send test</Button>}
          {canWrite && endpoint.enabled && <Button variant="ghost" busy={enable.isPending} onClick={() => enable.mutate(false)}>Disable</Button>}
          {canWrite && <ConfirmButton label="Rotate secret" confirmLabel="Rotate now" question="The old secret stops signing at once." busy={rotate.isPending} onConfirm={() => rotate.mutate()} />}
          {canWrite && <ConfirmButton label="Delete" confirmLabel="Delete endpoint" question="Its delivery log goes too." busy={remove.isPending} onConfirm={() => remove.mutate()} />}
        </div>
      </div>
      {!endpoint.enabled && (
        <Notice tone="danger">
          <strong>No events are sent to this endpoint.</strong> {endpoint.disabledReason ?? 'It was disabled.'}
          {endpoint.disabledAt && <span className="muted"> ({formatDateTime(endpoint.disabledAt)})</span>}
          {canWrite && (
            <div className="form-actions" style={{ marginTop: 8 }}>
              <Button variant="primary" busy={enable.isPending} onClick={() => enable.mutate(true)}>Enable again</Button>
              <span className="muted">Fix the receiver first; then replay the failed deliveries below.</span>
            </div>
          )}
        </Notice>
      )}
      {test.data && (
        <Notice tone={test.data.status === 'succeeded' ? 'success' : 'danger'}>
          Test event {test.data.status === 'succeeded' ? `delivered: HTTP ${test.data.responseStatus} in ${test.data.latencyMs} ms` : `failed: ${test.data.error ?? 'no answer'}`}
        </Notice>
      )}
      {failure && <Notice tone="danger">{errorMessage(failure.error)}</Notice>}
      {open && <DeliveryLog endpoint={endpoint} canWrite={canWrite} />}
    </li>
  );
}

function DeliveryLog({ endpoint, canWrite }: { endpoint: Endpoint; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', endpoint.id],
    queryFn: () => call<{ data: Delivery[]; nextCursor: string | null }>(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { limit: 25 } } })),
    // Retries happen in the background: follow them while any is still in flight.
    refetchInterval: (query) => (query.state.data?.data.some((d) => d.status === 'pending' || d.status === 'sending') ? 2000 : false),
  });
  const replay = useMutation({
    mutationFn: (deliveryId: string) => call<Delivery>(api.POST('/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay', { params: { path: { id: endpoint.id, deliveryId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['webhook-deliveries', endpoint.id] }),
  });
  if (deliveries.isPending) return <Spinner />;
  if (deliveries.isError) return <ErrorState message={errorMessage(deliveries.error)} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.data.data.length === 0) return <EmptyState title="No deliveries yet">Events this endpoint subscribed to appear here as they are sent.</EmptyState>;
  return (
    <>
      {replay.isError && <Notice tone="danger">{errorMessage(replay.error)}</Notice>}
      <Table
        caption={`Deliveries to ${endpoint.url}`}
        rows={deliveries.data.data}
        rowKey={(d) => d.id}
        columns={[
          { header: 'Event', cell: (d) => <code>{d.eventType}</code> },
          { header: 'Status', cell: (d) => <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge> },
          { header: 'Attempts', cell: (d) => `${d.attempts} of ${d.maxAttempts}` },
          { header: 'Response', cell: (d) => (d.responseStatus !== null ? `HTTP ${d.responseStatus}` : d.error ?? '—') },
          { header: 'Latency', cell: (d) => (d.latencyMs !== null ? `${d.latencyMs} ms` : '—'), secondary: true },
          { header: 'When', cell: (d) => formatDateTime(d.lastAttemptAt ?? d.createdAt), secondary: true },
          { header: 'Next retry', cell: (d) => (d.nextAttemptAt && d.status === 'pending' ? formatDateTime(d.nextAttemptAt) : '—'), secondary: true },
          {
            header: 'Actions',
            cell: (d) =>
              canWrite && endpoint.enabled && (d.status === 'failed' || d.status === 'succeeded') ? (
                <Button busy={replay.isPending && replay.variables === d.id} onClick={() => replay.mutate(d.id)}>Replay</Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
