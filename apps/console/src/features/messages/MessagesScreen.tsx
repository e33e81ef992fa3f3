import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, Button, Card, EmptyState, ErrorState, Field, PageHeader, Pager, Spinner, Table } from '../../components/ui';
import { formatDateTime, humanize, toneOf } from '../../lib/format';
import { useCursor } from '../../lib/paging';
import { useMessages, type MessageFilters } from './api';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred', 'received', 'held'];
const TYPES = ['marketing', 'transactional', 'conversational', 'system'];
const KEYS = ['status', 'reason', 'type', 'contactId', 'since', 'until'] as const;

export function MessagesScreen() {
  const [params, setParams] = useSearchParams();
  const filters: MessageFilters = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const [draft, setDraft] = useState<MessageFilters>(filters);
  const paging = useCursor();
  const messages = useMessages(filters, paging.cursor);
  const set = (key: keyof MessageFilters) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value || undefined });

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of KEYS) if (draft[key]) next.set(key, draft[key]!);
    paging.first();
    setParams(next);
  }

  return (
    <>
      <PageHeader title="Messages" description="Every message the hub decided on, sent or received, and why." />
      <Card>
        <form className="filters" onSubmit={apply} role="search" aria-label="Filter messages">
          <Field label="Status">
            <select className="select" value={draft.status ?? ''} onChange={set('status')}>
              <option value="">Any</option>
              {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
          <Field label="Reason">
            <input className="input" value={draft.reason ?? ''} onChange={set('reason')} placeholder="e.g. no_consent" />
          </Field>
          <Field label="Type">
            <select className="select" value={draft.type ?? ''} onChange={set('type')}>
              <option value="">Any</option>
              {TYPES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </Field>
          <Field label="Contact id">
            <input className="input mono" value={draft.contactId ?? ''} onChange={set('contactId')} />
          </Field>
          <Field label="From">
            <input className="input" type="date" value={draft.since ?? ''} onChange={set('since')} />
          </Field>
          <Field label="To">
            <input className="input" type="date" value={draft.until ?? ''} onChange={set('until')} />
          </Field>
          <div className="field">
            <Button type="submit" variant="primary">Apply filters</Button>
          </div>
        </form>
      </Card>
      <Card title={`Page ${paging.page}`}>
        {messages.isPending ? (
          <Spinner label="Loading messages…" />
        ) : messages.isError ? (
          <ErrorState message={errorMessage(messages.error)} onRetry={() => void messages.refetch()} />
        ) : messages.data.data.length === 0 ? (
          <EmptyState title={params.size > 0 ? 'No message matches these filters' : 'No messages yet'} />
        ) : (
          <>
            <Table
              caption="Messages"
              rows={messages.data.data}
              rowKey={(m) => m.id}
              columns={[
                { header: 'When', cell: (m) => <Link to={`/messages/${m.id}`}>{formatDateTime(m.createdAt)}</Link> },
                { header: 'To / from', cell: (m) => (m.contactId ? <Link to={`/contacts/${m.contactId}`}>{m.phone}</Link> : m.phone) },
                { header: 'Type', cell: (m) => (m.direction === 'inbound' ? 'inbound' : m.type) },
                { header: 'Status', cell: (m) => <Badge tone={toneOf(m.status)}>{m.status}</Badge> },
                { header: 'Reason', cell: (m) => (m.reason ? humanize(m.reason) : '—') },
                { header: 'Body', cell: (m) => <span className="muted">{m.body.length > 80 ? `${m.body.slice(0, 80)}…` : m.body}</span>, secondary: true },
              ]}
            />
            <Pager isFirst={paging.page === 1} hasNext={Boolean(messages.data.nextCursor)} busy={messages.isFetching} onFirst={paging.first} onNext={() => paging.next(messages.data.nextCursor)} />
          </>
        )}
      </Card>
    </>
  );
}
