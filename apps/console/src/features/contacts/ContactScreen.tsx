import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { MESSAGE_TYPES } from '../../api/types';
import type { Contact } from '../../api/types';
import { Badge, Button, Card, ConfirmButton, EmptyState, ErrorState, Field, KeyValues, Notice, PageHeader, Spinner, Table } from '../../components/ui';
import { contactName, formatDateTime, humanize, toneOf } from '../../lib/format';
import { useCan } from '../auth/session';
import { useAddToGroup, useContact, useContactConsent, useContactGroups, useContactMessages, useDisclosures, useErase, useGroups, useRecordOptOut } from './api';
import { CheckPanel } from './CheckPanel';
import { ConsentTimeline } from './ConsentTimeline';
import { InviteCard } from './InviteCard';

export function ContactScreen() {
  const { id = '' } = useParams();
  const contact = useContact(id);
  if (contact.isPending) return <Spinner label="Loading contact…" />;
  if (contact.isError) return <ErrorState message={errorMessage(contact.error)} onRetry={() => void contact.refetch()} />;
  const c = contact.data;
  return (
    <>
      <PageHeader title={contactName(c)} description={<Link to="/contacts">← All contacts</Link>} actions={c.erasedAt ? <Badge tone="danger">Erased {formatDateTime(c.erasedAt)}</Badge> : undefined} />
      <div className="grid">
        <Card title="Details">
          <KeyValues
            items={[
              ['Phone', c.phone],
              ['Email', c.email],
              ['Time zone', c.timeZone ?? (c.resolvedTimeZone ? `${c.resolvedTimeZone.zones.join(', ')} (from ${c.resolvedTimeZone.source})` : null)],
              ['External ids', Object.entries(c.externalIds ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ') || null],
              ['Attributes', Object.keys(c.attributes ?? {}).length ? <code>{JSON.stringify(c.attributes)}</code> : null],
              ['Added', formatDateTime(c.createdAt)],
            ]}
          />
        </Card>
        <Card title="Can we text them now?">{c.erasedAt ? <p className="muted">This contact was erased.</p> : <CheckPanel contactId={c.id} />}</Card>
      </div>
      <ConsentCard contactId={c.id} erased={Boolean(c.erasedAt)} />
      <MessagesCard contactId={c.id} />
      {!c.erasedAt && <GroupsCard contact={c} />}
      {!c.erasedAt && <InviteCard contact={c} />}
      {!c.erasedAt && <EraseCard contactId={c.id} />}
    </>
  );
}

function ConsentCard({ contactId, erased }: { contactId: string; erased: boolean }) {
  const consent = useContactConsent(contactId);
  const disclosures = useDisclosures();
  const canOptOut = useCan('consent:opt_out');
  const [note, setNote] = useState('');
  const optOut = useRecordOptOut(contactId);
  return (
    <Card title="Consent">
      {consent.isPending ? (
        <Spinner label="Loading consent…" />
      ) : consent.isError ? (
        <ErrorState message={errorMessage(consent.error)} onRetry={() => void consent.refetch()} />
      ) : (
        <div className="stack">
          <div className="form-row" aria-label="Consent per message type" role="list">
            {MESSAGE_TYPES.map((type) => {
              const state = consent.data.states[type];
              return (
                <div key={type} role="listitem" className="card" style={{ padding: 10, marginBottom: 0 }}>
                  <div className="muted">{humanize(type)}</div>
                  <Badge tone={toneOf(state?.state)}>{(state?.state ?? 'none').replace('_', ' ')}</Badge>
                  <div className="muted" style={{ fontSize: '0.82rem' }}>{state?.since ? `since ${formatDateTime(state.since)}` : ''}</div>
                </div>
              );
            })}
          </div>
          {canOptOut && !erased && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                optOut.mutate({ types: 'all', text: note }, { onSuccess: () => setNote('') });
              }}
            >
              <Field label="Record an opt-out (e.g. asked by phone not to be texted)" hint="Stops every message type; the note is kept as evidence.">
                <input className="input" value={note} required onChange={(e) => setNote(e.target.value)} placeholder="Customer called and asked not to be texted" />
              </Field>
              <Button type="submit" busy={optOut.isPending} disabled={!note.trim()}>Record opt-out</Button>
              {optOut.isError && <Notice tone="danger">{errorMessage(optOut.error)}</Notice>}
            </form>
          )}
          <h3>Ledger</h3>
          <ConsentTimeline entries={consent.data.history} disclosures={disclosures.data?.data ?? []} />
        </div>
      )}
    </Card>
  );
}

function MessagesCard({ contactId }: { contactId: string }) {
  const messages = useContactMessages(contactId);
  return (
    <Card title="Messages" actions={<Link to={`/messages?contactId=${contactId}`}>Open in the message log</Link>}>
      {messages.isPending ? (
        <Spinner label="Loading messages…" />
      ) : messages.isError ? (
        <ErrorState message={errorMessage(messages.error)} />
      ) : messages.data.data.length === 0 ? (
        <EmptyState title="No messages to or from this contact" />
      ) : (
        <Table
          caption="Messages"
          rows={messages.data.data}
          rowKey={(m) => m.id}
          columns={[
            { header: 'When', cell: (m) => <Link to={`/messages/${m.id}`}>{formatDateTime(m.createdAt)}</Link> },
            { header: 'Type', cell: (m) => `${m.direction === 'inbound' ? 'inbound' : m.type}` },
            { header: 'Status', cell: (m) => <Badge tone={toneOf(m.status)}>{m.status}</Badge> },
            { header: 'Body', cell: (m) => m.body, secondary: true },
          ]}
        />
      )}
    </Card>
  );
}

function GroupsCard({ contact }: { contact: Contact }) {
  const groups = useGroups();
  const memberships = useContactGroups(contact);
  const canWrite = useCan('contacts:write');
  const add = useAddToGroup(contact.id);
  const [groupId, setGroupId] = useState('');
  const memberOf = new Set(memberships.groups.map((g) => g.id));
  const staticGroups = groups.data?.data.filter((g) => g.kind === 'static' && !memberOf.has(g.id)) ?? [];
  return (
    <Card title="Groups">
      {memberships.isPending ? (
        <Spinner label="Loading groups…" />
      ) : memberships.groups.length === 0 ? (
        <p className="muted">Not in any group.</p>
      ) : (
        <ul className="form-actions" aria-label="Member of" style={{ listStyle: 'none', padding: 0, margin: '0 0 12px' }}>
          {memberships.groups.map((g) => (
            <li key={g.id}>
              <Link to={`/contacts?group=${g.id}`}><Badge tone={g.system ? 'info' : 'neutral'}>{g.name}</Badge></Link>
            </li>
          ))}
        </ul>
      )}
      {memberships.partial && <p className="muted">Only the first groups are checked.</p>}
      {canWrite && staticGroups.length > 0 && (
        <form
          className="form-actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (groupId) add.mutate(groupId, { onSuccess: () => setGroupId('') });
          }}
        >
          <label htmlFor="add-group" className="field__label">Add to group</label>
          <select id="add-group" className="select" style={{ width: 'auto' }} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">Choose a group</option>
            {staticGroups.map((g) => (
              <option key={g.id} value={g.id}>{g.name}</option>
            ))}
          </select>
          <Button type="submit" busy={add.isPending} disabled={!groupId}>Add</Button>
          {add.isError && <Notice tone="danger">{errorMessage(add.error)}</Notice>}
        </form>
      )}
      {canWrite && groups.data && groups.data.data.every((g) => g.kind !== 'static') && (
        <p className="muted">No groups of your own yet. <Link to="/groups">Create one</Link>.</p>
      )}
    </Card>
  );
}

function EraseCard({ contactId }: { contactId: string }) {
  const canWrite = useCan('contacts:write');
  const navigate = useNavigate();
  const erase = useErase(contactId, () => navigate('/contacts'));
  if (!canWrite) return null;
  return (
    <Card title="Erase this person">
      <p className="muted">Erasing removes their phone, email, names and attributes. The consent ledger keeps a hash of the phone as proof. This cannot be undone.</p>
      <ConfirmButton label="Erase contact" confirmLabel="Yes, erase" question="Erase this contact’s personal data?" busy={erase.isPending} onConfirm={() => erase.mutate()} />
      {erase.isError && <Notice tone="danger">{errorMessage(erase.error)}</Notice>}
    </Card>
  );
}
