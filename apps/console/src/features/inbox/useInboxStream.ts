import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { inboxKeys } from './api';

const EVENTS = ['entry.created', 'entry.updated', 'conversation.read', 'conversation.assigned'];

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * The hub's server-sent events (same origin, so the session cookie goes along). Each event only
 * says what changed; the REST API stays the truth, so an event invalidates the inbox's queries and
 * TanStack Query refetches what is on screen. After a reconnect everything is refetched too
 * (pub/sub has no replay).
 */
export function useInboxStream(): StreamState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    const source = new EventSource('/v1/conversations/stream');
    let opened = false;
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
      // A YES or STOP changes the contact's ledger too (the source line and the consent history).
      void queryClient.invalidateQueries({ queryKey: ['contacts', 'consent'] });
    };
    source.onopen = () => {
      if (opened) refresh();
      opened = true;
      setState('live');
    };
    source.onerror = () => setState('reconnecting');
    for (const type of EVENTS) source.addEventListener(type, refresh);
    return () => source.close();
  }, [queryClient]);
  return state;
}
