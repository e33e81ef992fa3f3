import { NavLink } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, EmptyState, ErrorState, Spinner } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useConversations, type Conversation, type InboxFilter } from './api';
import { describeOptIn } from './describe';
import { NewConversation } from './NewConversation';
import { useCan } from '../auth/session';

export const FILTERS: { value: InboxFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'mine', label: 'Mine' },
  { value: 'unassigned', label: 'Unassigned' },
  { value: 'awaiting_opt_in', label: 'Waiting for opt-in' },
  { value: 'opted_out', label: 'Opted out' },
];

export function nameOf(conversation: Pick<Conversation, 'contact'>): string {
  const { firstName, lastName, phone } = conversation.contact;
  return [firstName, lastName].filter(Boolean).join(' ') || phone || 'Unknown contact';
}

export function ConversationList({ filter, q, mode, onFilter, onSearch }: { filter: InboxFilter; q: string; mode?: string; onFilter: (f: InboxFilter) => void; onSearch: (q: string) => void }) {
  const list = useConversations(filter, q);
  const canWrite = useCan('conversations:write');
  return (
    <div className="inbox__list-pane">
      <div className="inbox__tools">
        {canWrite && <NewConversation />}
        <label htmlFor="inbox-search" className="visually-hidden">
          Search conversations
        </label>
        <input id="inbox-search" className="input" type="search" placeholder="Search name or phone" value={q} onChange={(e) => onSearch(e.target.value)} />
        <div className="inbox__filters" role="group" aria-label="Filter conversations">
          {FILTERS.map((f) => (
            <button key={f.value} type="button" className={`chip${filter === f.value ? ' chip--on' : ''}`} aria-pressed={filter === f.value} onClick={() => onFilter(f.value)}>
              {f.label}
            </button>
          ))}
        </div>
      </div>
      {list.isPending ? (
        <Spinner />
      ) : list.isError ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <EmptyState title={q || filter !== 'all' ? 'No conversation matches' : 'No conversations yet'}>When a client texts your number, or you start one, it shows here.</EmptyState>
      ) : (
        <ul className="inbox__list" aria-label="Conversations">
          {list.data.data.map((c) => {
            const optIn = describeOptIn(c.consent.conversational, c.awaitingOptIn, mode);
            return (
              <li key={c.id}>
                <NavLink to={`/inbox/${c.id}${q || filter !== 'all' ? `?${new URLSearchParams({ ...(filter !== 'all' ? { filter } : {}), ...(q ? { q } : {}) })}` : ''}`} className={({ isActive }) => `inbox__item${isActive ? ' inbox__item--active' : ''}`}>
                  <span className="inbox__item-top">
                    <strong className="inbox__name">{nameOf(c)}</strong>
                    {c.unreadCount > 0 && (
                      <span className="inbox__unread" aria-label={`${c.unreadCount} unread`}>
                        {c.unreadCount}
                      </span>
                    )}
                  </span>
                  <span className="inbox__preview">{c.lastMessage?.preview ?? 'No messages yet'}</span>
                  <span className="inbox__item-meta">
                    <Badge tone={optIn.tone}>{optIn.label}</Badge>
                    <span>{c.agent ? c.agent.displayName : 'Team inbox'}</span>
                    {c.lastMessage && <span>{formatDateTime(c.lastMessage.at as unknown as string)}</span>}
                  </span>
                </NavLink>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
