import { useLocation, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/errors';
import { Badge, EmptyState, Notice, PageHeader } from '../../components/ui';
import { useCan } from '../auth/session';
import { useCurrentAgent, useSetOptInMode, useWorkspace, type InboxFilter } from './api';
import { ConversationList, FILTERS } from './ConversationList';
import { ConversationThread } from './ConversationThread';
import { useInboxStream } from './useInboxStream';
import './inbox.css';

/**
 * The inbox: the list and one conversation side by side; at phone width, one at a time (the
 * thread's own address shows the thread). Filters and search live in the URL.
 */
export function InboxScreen() {
  // The conversation is a child route with no element of its own (`/inbox/:id`).
  const id = /^\/inbox\/([^/]+)$/.exec(useLocation().pathname)?.[1];
  const [params, setParams] = useSearchParams();
  const filter = (FILTERS.some((f) => f.value === params.get('filter')) ? params.get('filter') : 'all') as InboxFilter;
  const q = params.get('q') ?? '';
  const stream = useInboxStream();
  const workspace = useWorkspace();
  const me = useCurrentAgent();
  const mode = workspace.data?.optInMode;
  const update = (next: { filter?: InboxFilter; q?: string }) => {
    const merged = { filter, q, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([k, v]) => v && !(k === 'filter' && v === 'all'))) as Record<string, string>, { replace: true });
  };
  const search = params.toString();

  return (
    <div className={`inbox${id ? ' inbox--thread-open' : ''}`}>
      <div className="inbox__header">
        <PageHeader
          title="Inbox"
          description={
            <>
              {me.data?.agent ? (
                <>
                  Clients see you as <strong>{me.data.agent.displayName}</strong>.
                </>
              ) : (
                'You write as the team.'
              )}{' '}
              <span className={`live live--${stream}`} role="status">
                {stream === 'live' ? 'Live' : stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
              </span>
            </>
          }
          actions={<OptInMode mode={mode} />}
        />
      </div>
      <div className="inbox__panes">
        <ConversationList filter={filter} q={q} mode={mode} onFilter={(f) => update({ filter: f })} onSearch={(value) => update({ q: value })} />
        <div className="inbox__thread-pane">
          {id ? <ConversationThread key={id} id={id} mode={mode} backTo={`/inbox${search ? `?${search}` : ''}`} /> : <EmptyState title="Pick a conversation">Its texts, opt-in state and composer open here.</EmptyState>}
        </div>
      </div>
    </div>
  );
}

/** The workspace's opt-in mode: admins choose it here; everyone else sees it. */
function OptInMode({ mode }: { mode?: string }) {
  const canChange = useCan('settings:write');
  const set = useSetOptInMode();
  if (!mode) return null;
  if (!canChange) return <Badge tone="info">{mode === 'disclaimer' ? 'Disclaimer mode' : 'Opt-in with consent'}</Badge>;
  return (
    <div className="inbox__mode">
      <label htmlFor="opt-in-mode">Opt-in mode</label>
      <select id="opt-in-mode" className="select" value={mode} disabled={set.isPending} onChange={(e) => set.mutate(e.target.value as 'consent' | 'disclaimer')}>
        <option value="consent">Consent: clients reply YES first</option>
        <option value="disclaimer">Disclaimer only</option>
      </select>
      {set.isError && <Notice tone="danger">{errorMessage(set.error)}</Notice>}
    </div>
  );
}
