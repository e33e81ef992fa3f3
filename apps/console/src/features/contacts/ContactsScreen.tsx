import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { MESSAGE_TYPES } from '../../api/types';
import { Badge, Button, Card, EmptyState, ErrorState, Field, PageHeader, Pager, Spinner, Table } from '../../components/ui';
import { contactName, formatDateTime } from '../../lib/format';
import { useCursor } from '../../lib/paging';
import { useContacts, useGroups, type ContactFilters } from './api';

const STATES = ['opted_in', 'pending', 'opted_out', 'none'];

/** Contacts: search and filter in the URL (linkable), paged by the hub's cursor. */
export function ContactsScreen() {
  const [params, setParams] = useSearchParams();
  const filters: ContactFilters = {
    q: params.get('q') ?? undefined,
    consentType: params.get('consentType') ?? undefined,
    consentState: params.get('consentState') ?? undefined,
    group: params.get('group') ?? undefined,
  };
  const [draft, setDraft] = useState(filters);
  const paging = useCursor();
  const contacts = useContacts(filters, paging.cursor);
  const groups = useGroups();

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(draft)) if (value) next.set(key, value);
    if (next.get('consentState') && !next.get('consentType')) next.set('consentType', 'marketing');
    paging.first();
    setParams(next);
  }

  return (
    <>
      <PageHeader title="Contacts" description="Everyone this workspace may text, with their consent." />
      <Card>
        <form className="filters" onSubmit={apply} role="search" aria-label="Filter contacts">
          <Field label="Search">
            <input className="input" type="search" placeholder="Name, phone or email" value={draft.q ?? ''} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          </Field>
          <Field label="Consent type">
            <select className="select" value={draft.consentType ?? ''} onChange={(e) => setDraft({ ...draft, consentType: e.target.value || undefined })}>
              <option value="">Any</option>
              {MESSAGE_TYPES.map((t) => (
                <option key={t} value={t}>{t}</option>
              ))}
            </select>
          </Field>
          <Field label="Consent state">
            <select className="select" value={draft.consentState ?? ''} onChange={(e) => setDraft({ ...draft, consentState: e.target.value || undefined })}>
              <option value="">Any</option>
              {STATES.map((s) => (
                <option key={s} value={s}>{s.replace('_', ' ')}</option>
              ))}
            </select>
          </Field>
          <Field label="Group">
            <select className="select" value={draft.group ?? ''} onChange={(e) => setDraft({ ...draft, group: e.target.value || undefined })}>
              <option value="">Any</option>
              {groups.data?.data.map((g) => (
                <option key={g.id} value={g.id}>{g.name}</option>
              ))}
            </select>
          </Field>
          <div className="field">
            <Button type="submit" variant="primary">Apply filters</Button>
          </div>
        </form>
      </Card>
      <Card title={`Page ${paging.page}`}>
        {contacts.isPending ? (
          <Spinner label="Loading contacts…" />
        ) : contacts.isError ? (
          <ErrorState message={errorMessage(contacts.error)} onRetry={() => void contacts.refetch()} />
        ) : contacts.data.data.length === 0 ? (
          <EmptyState title={params.size > 0 ? 'No contact matches these filters' : 'No contacts yet'}>
            {params.size === 0 && <p>Import a CSV, connect a plugin or publish a web form to collect contacts.</p>}
          </EmptyState>
        ) : (
          <>
            <Table
              caption="Contacts"
              rows={contacts.data.data}
              rowKey={(c) => c.id}
              columns={[
                { header: 'Name', cell: (c) => <Link to={`/contacts/${c.id}`}>{contactName(c)}</Link> },
                { header: 'Phone', cell: (c) => c.phone ?? '—' },
                { header: 'Email', cell: (c) => c.email ?? '—', secondary: true },
                { header: 'Status', cell: (c) => (c.erasedAt ? <Badge tone="danger">erased</Badge> : <Badge>active</Badge>) },
                { header: 'Added', cell: (c) => formatDateTime(c.createdAt), secondary: true },
              ]}
            />
            <Pager isFirst={paging.page === 1} hasNext={Boolean(contacts.data.nextCursor)} busy={contacts.isFetching} onFirst={paging.first} onNext={() => paging.next(contacts.data.nextCursor)} />
          </>
        )}
      </Card>
    </>
  );
}
