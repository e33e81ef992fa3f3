import { Injectable, Logger } from '@nestjs/common';
import { Message, MessageLogService, SendDispatcher, SendGateway, type SubmitMessageInput } from '@optline/messaging';

/**
 * The job of a conversation text waits this long, so the text is dispatched inline first and the
 * caller sees (and orders) what the gateway decided; the job stays as the safety net.
 */
export const INLINE_DISPATCH_GRACE_MS = 30_000;

/** How long `settled` waits for another process's hand-off of the same message, and how often it looks. */
const SETTLE_TIMEOUT_MS = 5_000;
const SETTLE_POLL_MS = 50;

/**
 * How conversations send: through the gateway (law 1), then dispatched at once so the policies
 * run now (law 2 still holds: they run at hand-off) and consecutive texts leave in the order they
 * were written (docs/decisions/0132).
 */
@Injectable()
export class ConversationGateway {
  private readonly logger = new Logger(ConversationGateway.name);

  constructor(
    private readonly gateway: SendGateway,
    private readonly dispatcher: SendDispatcher,
    private readonly log: MessageLogService,
  ) {}

  /** Submits (idempotent by key) and dispatches now; answers the message as it stands afterwards. */
  async sendNow(input: SubmitMessageInput): Promise<Message> {
    const { message } = await this.gateway.submitDetailed(input, { jobDelayMs: INLINE_DISPATCH_GRACE_MS });
    if (message.status === 'queued') await this.dispatchNow(input.workspaceId, message.id);
    return this.reload(input.workspaceId, message.id);
  }

  /** Runs a queued message's send now (a keyword reply that must precede released texts). */
  async dispatchNow(workspaceId: string, messageId: string): Promise<void> {
    try {
      await this.dispatcher.dispatch(workspaceId, messageId, { finalAttempt: false });
    } catch (error) {
      // A provider hiccup: the message is back to queued and its job retries with backoff.
      this.logger.warn({ err: error, workspaceId, messageId }, 'inline dispatch failed; the send job will retry');
    }
  }

  /**
   * The message as it stands once no hand-off is in flight: when another process (the send job)
   * is calling the provider right now, waits — bounded — for its answer, so a text sent next
   * really follows this one.
   */
  async settled(workspaceId: string, messageId: string): Promise<Message> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let message = await this.reload(workspaceId, messageId);
    while (message.status === 'sending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
      message = await this.reload(workspaceId, messageId);
    }
    return message;
  }

  async reload(workspaceId: string, messageId: string): Promise<Message> {
    return (await this.log.get(workspaceId, messageId)).message;
  }

  async find(workspaceId: string, messageId: string): Promise<Message | null> {
    try {
      return await this.reload(workspaceId, messageId);
    } catch {
      return null;
    }
  }

  /** The system replies the messaging library sent to one inbound text (STOP confirmation, opt-in confirmation...). */
  async repliesTo(workspaceId: string, contactId: string, inboundId: string): Promise<Message[]> {
    const { data } = await this.log.list(workspaceId, { contactId, direction: 'outbound', type: 'system', limit: 20 });
    return data.filter((m) => m.origin?.inReplyTo === inboundId).reverse();
  }

  /** The contact's messages created since `since` (a timeline page's window), by id. */
  async messagesSince(workspaceId: string, contactId: string, since: Date, ids: string[]): Promise<Map<string, Message>> {
    const found = new Map<string, Message>();
    if (ids.length === 0) return found;
    const { data } = await this.log.list(workspaceId, { contactId, since, limit: 500 });
    for (const message of data) found.set(message.id, message);
    for (const id of ids.filter((i) => !found.has(i))) {
      const message = await this.find(workspaceId, id);
      if (message) found.set(id, message);
    }
    return found;
  }
}
