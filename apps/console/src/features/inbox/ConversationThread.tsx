import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, Button, EmptyState, ErrorState, Spinner } from '../../components/ui';
import { formatDateTime, humanize } from '../../lib/format';
import { useCan } from '../auth/session';
import { ConsentTimeline } from '../contacts/ConsentTimeline';
import { useAgents, useAssign, useContactConsent, useConversation, useDisclosures, useEntries, useMarkRead, type Conversation, type Entry } from './api';
import { Composer } from './Composer';
import { nameOf } from './ConversationList';
import { describeOptIn, describeStatus } from './describe';

export function ConversationThread({ id, mode, backTo }: { id: string; mode?: string; backTo: string }) {
  const conversation = useConversation(id);
  const entries = useEntries(id);
  const canWrite = useCan('conversations:write');
  const markRead = useMarkRead(id);
  const unread = conversation.data?.unreadCount ?? 0;
  const { mutate: read } = markRead;
  useEffect(() => {
    // Opening (or watching) a thread reads it; new texts arriving while it is open are read too.
    if (canWrite && unread > 0) read();
  }, [canWrite, unread, read, id]);

  if (conversation.isPending) return <Spinner />;
  if (conversation.isError) return <ErrorState message={errorMessage(conversation.error)} onRetry={() => void conversation.refetch()} />;
  const c = conversation.data;
  const optIn = describeOptIn(c.consent.conversational, c.awaitingOptIn, mode);
  const closed = c.consent.conversational === 'opted_out' ? `${nameOf(c)} opted out (STOP). No texts can be sent until they write again and reply YES, or text START.` : null;
  const holdNote = mode !== 'disclaimer' && c.consent.conversational !== 'opted_in' && !closed ? 'Not opted in yet: what you send is held and leaves when they reply YES.' : null;

  return (
    <section className="thread" aria-label={`Conversation with ${nameOf(c)}`}>
      <header className="thread__head">
        <Link to={backTo} className="thread__back">
          ← Conversations
        </Link>
        <div className="thread__who">
          <h2>{nameOf(c)}</h2>
          {c.contact.phone && c.contact.phone !== nameOf(c) && <span className="muted mono">{c.contact.phone}</span>}
        </div>
        <ConsentLine conversation={c} label={optIn.label} tone={optIn.tone} detail={optIn.detail} />
        {canWrite && <AssignControl conversation={c} />}
      </header>
      <Timeline entries={entries.data?.data} pending={entries.isPending} error={entries.isError ? errorMessage(entries.error) : null} />
      {canWrite ? <Composer conversationId={id} closedReason={closed} holdNote={holdNote} /> : <p className="composer composer--closed muted">Your role may read conversations but not write in them.</p>}
    </section>
  );
}

function ConsentLine({ conversation, label, tone, detail }: { conversation: Conversation; label: string; tone: Parameters<typeof Badge>[0]['tone']; detail: string }) {
  const [open, setOpen] = useState(false);
  const consent = useContactConsent(conversation.contact.id, true);
  const disclosures = useDisclosures(open);
  const state = consent.data?.states.conversational;
  const event = state?.eventId ? consent.data?.history.find((h) => h.id === state.eventId) : undefined;
  return (
    <div className="thread__consent" aria-label="Opt-in">
      <div className="thread__consent-line">
        <Badge tone={tone}>{label}</Badge>
        {event && (
          <span className="muted">
            {humanize(event.state ?? event.kind)} via {humanize(event.source)} · {formatDateTime(event.occurredAt)}
          </span>
        )}
        <Button variant="ghost" aria-expanded={open} aria-controls="consent-drawer" onClick={() => setOpen((v) => !v)}>
          Consent history
        </Button>
      </div>
      <p className="thread__consent-detail">{detail}</p>
      {open && (
        <aside id="consent-drawer" className="drawer" aria-label="Consent history">
          <div className="drawer__head">
            <h3>Consent history</h3>
            <Link to={`/contacts/${conversation.contact.id}`}>Open contact page</Link>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Close
            </Button>
          </div>
          {consent.isPending ? (
            <Spinner />
          ) : consent.isError ? (
            <ErrorState message={errorMessage(consent.error)} />
          ) : (
            <ConsentTimeline entries={consent.data.history} disclosures={disclosures.data?.data ?? []} />
          )}
        </aside>
      )}
    </div>
  );
}

function AssignControl({ conversation }: { conversation: Conversation }) {
  const agents = useAgents();
  const assign = useAssign(conversation.id);
  return (
    <div className="thread__assign">
      <label htmlFor="assign-to">Assigned to</label>
      <select
        id="assign-to"
        className="select"
        value={conversation.agent?.id ?? ''}
        disabled={assign.isPending || agents.isPending}
        onChange={(e) => assign.mutate(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">Team inbox</option>
        {(agents.data?.data ?? []).map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName}
          </option>
        ))}
      </select>
      {assign.isError && <span className="field__error">{errorMessage(assign.error)}</span>}
    </div>
  );
}

function Timeline({ entries, pending, error }: { entries?: Entry[]; pending: boolean; error: string | null }) {
  const scroller = useRef<HTMLDivElement>(null);
  const count = entries?.length ?? 0;
  const last = entries?.[count - 1];
  useEffect(() => {
    // The newest text at the bottom in view; scrolls the thread only, never the page.
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count, last?.status]);
  if (pending || error || !entries || entries.length === 0) {
    return (
      <div className="thread__scroll">
        {pending ? <Spinner /> : error ? <ErrorState message={error} /> : <EmptyState title="No messages yet">Write the first text below.</EmptyState>}
      </div>
    );
  }
  return (
    <div className="thread__scroll" ref={scroller}>
      <ol className="thread__entries" aria-label="Messages" role="log">
        {entries.map((entry) => (
          <EntryItem key={entry.id} entry={entry} />
        ))}
      </ol>
    </div>
  );
}

function EntryItem({ entry }: { entry: Entry }) {
  const at = formatDateTime(entry.createdAt as unknown as string);
  if (entry.direction === 'notice') {
    return (
      <li className="entry entry--notice" data-role="notice">
        <span>{entry.body}</span>
        <time className="entry__meta">{at}</time>
      </li>
    );
  }
  const status = describeStatus(entry);
  const automatic = entry.role !== 'agent' && entry.role !== 'client';
  return (
    <li className={`entry entry--${entry.direction}${automatic ? ' entry--auto' : ''}`} data-role={entry.role} data-status={entry.status ?? ''}>
      <div className="entry__bubble">
        {automatic && <span className="entry__auto">Automatic · {humanize(entry.role)}</span>}
        <span className="entry__body">{entry.body ?? <em>Text hidden until they reply YES</em>}</span>
      </div>
      <div className="entry__meta">
        {entry.direction === 'outbound' && entry.senderName && <span>{entry.senderName}</span>}
        <time>{at}</time>
        {status && <Badge tone={status.tone}>{status.label}</Badge>}
        {status?.detail && <span className="entry__why">{status.detail}</span>}
      </div>
    </li>
  );
}
