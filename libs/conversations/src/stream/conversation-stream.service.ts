import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import { filter, map, Observable } from 'rxjs';
import { canSeeOwner, Viewer, visibilityOf } from '../conversations/viewer';
import { ConversationStreamHub } from './conversation-stream.hub';
import { ConversationStreamEvent } from './conversation-stream.types';

/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 25_000;

/** How long an EventSource waits before reconnecting (the stream's first frame says it). */
export const RECONNECT_MS = 3_000;

/** Whether this viewer may receive this event (the same rule as the REST API). */
export function deliverable(viewer: Viewer, event: ConversationStreamEvent): boolean {
  if (event.workspaceId !== viewer.auth.workspaceId) return false;
  const visibility = visibilityOf(viewer);
  if (canSeeOwner(visibility, event.agentId)) return true;
  // An assignment away from the viewer: they are told it left their inbox.
  return event.previousAgentId !== undefined && canSeeOwner(visibility, event.previousAgentId);
}

/**
 * One inbox's events as the frames Nest's @Sse() writes (decision 0239): first the reconnect delay
 * with a `: connected` comment (Nest sends the headers with the first frame), then each event this
 * viewer may see as `event: <type>` with its JSON, and a `: ping` comment every `heartbeatMs`.
 * Nest unsubscribes when the client leaves, which stops the heartbeat and the filter.
 */
@Injectable()
export class ConversationStreamService {
  private readonly logger = new Logger(ConversationStreamService.name);

  constructor(private readonly hub: ConversationStreamHub) {}

  async events(viewer: Viewer, heartbeatMs = HEARTBEAT_MS): Promise<Observable<MessageEvent>> {
    const events = await this.hub.connect();
    let sequence = 0;
    const live = events.pipe(
      filter((event) => deliverable(viewer, event)),
      map((event): MessageEvent => ({ id: String(++sequence), type: event.type, data: event })),
    );
    return new Observable<MessageEvent>((subscriber) => {
      // The opening frame carries an id of 0 so that Nest does not number it (it numbers frames
      // without an id), and the events keep their ids from 1.
      subscriber.next({ id: '0', retry: RECONNECT_MS, comment: 'connected' });
      const heartbeat = setInterval(() => subscriber.next({ comment: 'ping' }), heartbeatMs);
      heartbeat.unref();
      // The fan-out completes when the hub shuts down: the stream ends with it, so an open inbox
      // does not hold the server's close.
      const subscription = live.subscribe(subscriber);
      return () => {
        clearInterval(heartbeat);
        subscription.unsubscribe();
        this.logger.debug({ workspaceId: viewer.auth.workspaceId }, 'inbox stream closed');
      };
    });
  }
}
