import { Injectable } from '@nestjs/common';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

/** How long a process trusts what it read about a workspace's subscriptions (changes made by another process show after this). */
const TTL_MS = 5_000;

/**
 * Which enabled endpoint listens to which event type, per workspace, cached for a few seconds:
 * the send path announces every status change, and most workspaces subscribe to none of them.
 * Changes made in this process forget the workspace's entry at once.
 */
@Injectable()
export class WebhookSubscriptions {
  private readonly cache = new Map<string, { at: number; byType: Map<string, string[]> }>();

  constructor(private readonly endpoints: WebhookEndpointRepository) {}

  /** The ids of the enabled endpoints subscribed to `type`. */
  async endpointsFor(workspaceId: string, type: string): Promise<string[]> {
    const now = Date.now();
    let entry = this.cache.get(workspaceId);
    if (!entry || now - entry.at > TTL_MS) {
      const byType = new Map<string, string[]>();
      for (const endpoint of await this.endpoints.enabledSubscriptions(workspaceId)) {
        for (const t of endpoint.eventTypes) byType.set(t, [...(byType.get(t) ?? []), endpoint.id]);
      }
      entry = { at: now, byType };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(workspaceId, entry);
    }
    return entry.byType.get(type) ?? [];
  }

  forget(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }
}
