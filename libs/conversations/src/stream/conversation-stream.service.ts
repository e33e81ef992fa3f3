import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { filter } from 'rxjs';
import { canSeeOwner, Viewer, visibilityOf } from '../conversations/viewer';
import { ConversationStreamHub } from './conversation-stream.hub';
import { ConversationStreamEvent } from './conversation-stream.types';

/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 25_000;

/** Whether this viewer may receive this event (the same rule as the REST API). */
export function deliverable(viewer: Viewer, event: ConversationStreamEvent): boolean {
  if (event.workspaceId !== viewer.auth.workspaceId) return false;
  const visibility = visibilityOf(viewer);
  if (canSeeOwner(visibility, event.agentId)) return true;
  // An assignment away from the viewer: they are told it left their inbox.
  return event.previousAgentId !== undefined && canSeeOwner(visibility, event.previousAgentId);
}

/** One open server-sent-events response per connected inbox. */
@Injectable()
export class ConversationStreamService {
  private readonly logger = new Logger(ConversationStreamService.name);

  constructor(private readonly hub: ConversationStreamHub) {}

  async open(viewer: Viewer, req: Request, res: Response): Promise<void> {
    const events = await this.hub.connect();
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n: connected\n\n');
    let sequence = 0;
    const subscription = events.pipe(filter((event) => deliverable(viewer, event))).subscribe({
      next: (event) => res.write(`id: ${++sequence}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      complete: () => res.end(),
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
      this.logger.debug({ workspaceId: viewer.auth.workspaceId }, 'inbox stream closed');
    });
  }
}
