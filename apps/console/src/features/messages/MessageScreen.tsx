import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import type { Message } from '../../api/types';
import { Badge, Card, ErrorState, KeyValues, Notice, PageHeader, Spinner } from '../../components/ui';
import { formatDateTime, humanize, toneOf } from '../../lib/format';
import { useMessage } from './api';
import { Verdicts } from './Verdicts';

/** One message's decision trace: every policy, the hand-off to the provider and its status callbacks. */
export function MessageScreen() {
  const { id = '' } = useParams();
  const message = useMessage(id);
  if (message.isPending) return <Spinner label="Loading message…" />;
  if (message.isError) return <ErrorState message={errorMessage(message.error)} onRetry={() => void message.refetch()} />;
  const m = message.data;
  return (
    <>
      <PageHeader title={`${m.direction === 'inbound' ? 'Inbound' : humanize(m.type)} message`} description={<Link to="/messages">← Message log</Link>} actions={<Badge tone={toneOf(m.status)}>{m.status}</Badge>} />
      <Summary message={m} />
      <div className="grid">
        <Card title="Message">
          <KeyValues
            items={[
              ['To / from', m.contactId ? <Link to={`/contacts/${m.contactId}`}>{m.phone}</Link> : m.phone],
              ['Body', <span style={{ whiteSpace: 'pre-wrap' }}>{m.body}</span>],
              ['Segments', `${m.segments} (${m.encoding})`],
              ['Origin', m.origin && Object.keys(m.origin).length ? Object.entries(m.origin).map(([k, v]) => `${humanize(k)}: ${String(v)}`).join(', ') : null],
              ['Idempotency key', m.idempotencyKey ? <code>{m.idempotencyKey}</code> : null],
            ]}
          />
        </Card>
        <Card title="Hand-off and status">
          <ol className="timeline" aria-label="Status history">
            <Step label={m.status === 'blocked' ? 'Decided: blocked, not handed to the provider' : 'Decided'} at={m.createdAt} />
            {m.status !== 'blocked' && m.direction !== 'inbound' && (
              <>
            {m.deferredUntil && <Step label={`Held until ${formatDateTime(m.deferredUntil)}`} at={null} />}
            <Step label={`Handed to ${m.provider ?? 'the provider'}`} at={m.handedOffAt} detail={m.providerMessageId ? `provider id ${m.providerMessageId}` : undefined} />
            <Step label="Sent" at={m.sentAt} />
            <Step label={m.status === 'undelivered' || m.status === 'failed' ? `Failed${m.errorCode ? ` (error ${m.errorCode})` : ''}` : 'Delivered'} at={m.deliveredAt ?? (m.status === 'undelivered' || m.status === 'failed' ? m.sentAt : null)} />
              </>
            )}
          </ol>
        </Card>
      </div>
      <Card title="Decision trace">
        <Verdicts policies={m.policies} />
      </Card>
      {m.links && m.links.length > 0 && (
        <Card title="Links">
          <KeyValues items={m.links.map((l) => [l.url, `${l.clicks} click${l.clicks === 1 ? '' : 's'}${l.firstClickedAt ? `, first ${formatDateTime(l.firstClickedAt)}` : ''}`])} />
        </Card>
      )}
    </>
  );
}

function Summary({ message }: { message: Message }) {
  if (message.status === 'blocked') {
    const blocker = message.policies.find((p) => p.outcome === 'block');
    return (
      <Notice tone="danger">
        Blocked{blocker ? ` by ${humanize(blocker.policy).toLowerCase()}` : ''}: {humanize(message.reason ?? blocker?.reason)}. Nothing was sent.
      </Notice>
    );
  }
  if (message.status === 'deferred') return <Notice tone="warning">Held: {humanize(message.reason)}{message.deferredUntil ? `, until ${formatDateTime(message.deferredUntil)}` : ''}.</Notice>;
  return null;
}

function Step({ label, at, detail }: { label: string; at: string | null; detail?: string }) {
  return (
    <li>
      <div className="timeline__head">
        <strong className={at ? undefined : 'muted'}>{label}</strong>
      </div>
      <div className="timeline__meta">{at ? formatDateTime(at) : 'not yet'}{detail ? ` · ${detail}` : ''}</div>
    </li>
  );
}
