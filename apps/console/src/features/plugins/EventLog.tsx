import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import type { StoredEvent } from '../../api/types';
import { Badge, Button, EmptyState, ErrorState, Notice, Pager, Spinner, Table } from '../../components/ui';
import { formatDateTime, humanize, toneOf } from '../../lib/format';
import { useCursor } from '../../lib/paging';
import { useCan } from '../auth/session';
import { useEvents, useReplay } from './api';

/** The plugin's stored events, newest first, each with its outcome; failed ones can be replayed. */
export function EventLog({ pluginId }: { pluginId: string }) {
  const [status, setStatus] = useState('');
  const paging = useCursor();
  const events = useEvents(pluginId, status, paging.cursor);
  const canReplay = useCan('events:replay');
  const replay = useReplay();
  return (
    <>
      <div className="form-actions" style={{ marginBottom: 10 }}>
        <label htmlFor="event-status" className="field__label">Status</label>
        <select id="event-status" className="select" style={{ width: 'auto' }} value={status} onChange={(e) => { paging.first(); setStatus(e.target.value); }}>
          <option value="">Any</option>
          {['received', 'processed', 'ignored', 'failed'].map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      {replay.isError && <Notice tone="danger">{errorMessage(replay.error)}</Notice>}
      {events.isPending ? (
        <Spinner label="Loading events…" />
      ) : events.isError ? (
        <ErrorState message={errorMessage(events.error)} onRetry={() => void events.refetch()} />
      ) : events.data.data.length === 0 ? (
        <EmptyState title="No events yet">
          <p>Events appear here as soon as the connected system sends its first webhook.</p>
        </EmptyState>
      ) : (
        <>
          <Table
            caption="Events"
            rows={events.data.data}
            rowKey={(e) => e.id}
            columns={[
              { header: 'Received', cell: (e) => formatDateTime(e.receivedAt) },
              { header: 'Event', cell: (e) => humanize(e.type) },
              { header: 'Status', cell: (e) => <Badge tone={toneOf(e.status)}>{e.status}</Badge> },
              { header: 'Outcome', cell: (e) => <Outcome event={e} /> },
              {
                header: 'Actions',
                cell: (e) =>
                  canReplay ? (
                    <Button busy={replay.isPending && replay.variables === e.id} onClick={() => replay.mutate(e.id)} aria-label={`Replay event ${e.id}`}>
                      Replay
                    </Button>
                  ) : null,
              },
            ]}
          />
          <Pager isFirst={paging.page === 1} hasNext={Boolean(events.data.nextCursor)} onFirst={paging.first} onNext={() => paging.next(events.data.nextCursor)} />
        </>
      )}
    </>
  );
}

function Outcome({ event }: { event: StoredEvent }) {
  const outcome = event.outcome ?? {};
  const contact = outcome.contact as { id?: string; created?: boolean } | undefined;
  const consent = outcome.consent as { recorded?: string[]; state?: string } | undefined;
  const parts: string[] = [];
  if (contact?.id) parts.push(contact.created ? 'new contact' : 'existing contact');
  if (consent?.recorded?.length) parts.push(`${consent.state ?? 'consent'} for ${consent.recorded.join(', ')}`);
  return (
    <div>
      {contact?.id ? <Link to={`/contacts/${contact.id}`}>{parts.join('; ') || 'contact'}</Link> : <span>{parts.join('; ') || (event.error ?? '—')}</span>}
      {event.replayCount > 0 && <span className="muted"> · replayed {event.replayCount}×</span>}
      <details>
        <summary>Details</summary>
        <pre>{JSON.stringify({ data: event.data, outcome: event.outcome, error: event.error }, null, 2)}</pre>
      </details>
    </div>
  );
}
