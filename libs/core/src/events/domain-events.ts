/**
 * Typed in-process domain events: how one library tells others that something happened
 * without importing them (consent → plugins' write-back, inbound SMS → flows and inbox).
 * A handler that must not be lost enqueues a job; the event itself is not durable.
 */
export interface DomainEventMap {
  /** A consent ledger entry was appended (after its transaction committed). */
  'consent.changed': {
    workspaceId: string;
    contactId: string;
    consentEventId: string;
    messageType: string;
    state: string;
    source: string;
  };
  /** An inbound SMS was stored and keyword handling is done. */
  'sms.received': {
    workspaceId: string;
    contactId: string;
    messageId: string;
    body: string;
    /** What keyword handling made of it: stop, start, help, yes, or none. */
    keyword: string | null;
    /** A flow takes this text (a reply it waits for, or a keyword trigger): it opens no conversation. */
    claimedByFlow: boolean;
  };
  /** A message moved to a new status (sent, delivered, blocked, failed...). */
  'message.status_changed': {
    workspaceId: string;
    messageId: string;
    contactId: string | null;
    status: string;
    /** The message's type and, for a system message, its kind — so listeners skip what is not theirs without a query. */
    type: string;
    systemKind: string | null;
    /** Why, for a message blocked, deferred, held or failed (`opted_out`, `quiet_hours`, `provider_rejected`…). */
    reason?: string | null;
  };
  /**
   * A flow run waiting for a reply took this inbound text (published by the flows library when it
   * hands the reply to the run), so the conversation shows the text marked as the flow's.
   */
  'flow.reply_taken': { workspaceId: string; contactId: string; messageId: string; flowRunId: string };
  /**
   * A branded link was followed (after the click was counted). `clickNumber` is the link's click
   * count after this one, so `code` + `clickNumber` names this click and a replayed event counts once.
   */
  'link.clicked': { workspaceId: string; messageId: string; code: string; url: string; clickNumber: number; at: Date };
  /** A flow run reached its end: completed (last step or an exit step), exited (a trigger or an erasure ended it) or failed. */
  'flow.run_ended': { workspaceId: string; runId: string; flowId: string; contactId: string; status: 'completed' | 'exited' | 'failed'; reason: string | null };
  /** A contact import finished reading its file, or gave up (status failed with the reason). */
  'import.ended': { workspaceId: string; importId: string; status: 'completed' | 'failed'; error: string | null };
  /** A campaign finished sending, or was cancelled. */
  'campaign.ended': { workspaceId: string; campaignId: string; status: 'completed' | 'cancelled' };
}
export type DomainEventName = keyof DomainEventMap;
export type DomainEventHandler<N extends DomainEventName> = (payload: DomainEventMap[N]) => Promise<void> | void;
