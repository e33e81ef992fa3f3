import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorDetail, ValidationFailedError } from '@optline/core';
import type { CanonicalEvent } from '../contract/canonical-events';
import { DEFAULT_INGRESS_LIMITS, InstallationContext, OptlinePlugin, PayloadError, PluginRequest, VerifyResult } from '../contract/plugin';
import { checkCanonicalEvents } from '../events/canonical-event.validation';
import { TriggerEventStore } from '../events/trigger-event-store.service';
import { InstallationConfigCodec } from '../installations/installation-config.codec';
import { InstallationDeliveries } from '../installations/installation-deliveries.service';
import { PluginInstallation } from '../installations/plugin-installation.entity';
import { PluginRegistry } from '../registry/plugin-registry';
import { IngressInstallations } from './ingress-installations.service';
import { isNulRejection, NUL_MESSAGE, nulFieldIn, nulFieldInJsonBody } from './nul-characters';
import { RateLimiter } from './rate-limiter.service';

export interface IngressResult {
  /** Events the request carried. */
  received: number;
  /** Ids of the events stored now. */
  stored: string[];
  /** Events already stored by an earlier delivery (answered 200, not processed again). */
  duplicates: number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The walk of one webhook: installation → rate limit → size → verify (401) → toEvents (422) →
 * store with unique dedupe keys → 200. Nothing is stored unless every step before passed, and
 * nothing is answered 200 before it is stored.
 */
@Injectable()
export class WebhookIngressService {
  private readonly logger = new Logger(WebhookIngressService.name);

  constructor(
    private readonly registry: PluginRegistry,
    private readonly installations: IngressInstallations,
    private readonly codec: InstallationConfigCodec,
    private readonly store: TriggerEventStore,
    private readonly limiter: RateLimiter,
    private readonly deliveries: InstallationDeliveries,
  ) {}

  async receive(pluginId: string, installationId: string, request: PluginRequest): Promise<IngressResult> {
    const plugin = this.registry.find(pluginId);
    const row = plugin && plugin.ingress !== false && plugin.verify && plugin.toEvents ? await this.installations.find(pluginId, installationId) : null;
    if (!plugin || !row) throw new DomainError('not_found', 'installation_not_found', `No ${pluginId} installation ${installationId} takes webhooks here`);
    if (!row.enabled) throw new DomainError('gone', 'installation_disabled', 'This installation is disabled; nothing was stored');

    const limits = { ...DEFAULT_INGRESS_LIMITS, ...(plugin.ingress || {}) };
    const perMinute = row.requestsPerMinute ?? limits.requestsPerMinute;
    const verdict = await this.limiter.hit(`ingress:${row.id}`, perMinute, 60);
    if (!verdict.allowed) {
      throw new DomainError('rate_limited', 'rate_limited', `More than ${perMinute} requests per minute for this installation`, [], verdict.retryAfterSeconds);
    }
    if (request.rawBody.length > limits.maxBodyBytes) {
      await this.reject(row, 'payload', `body of ${request.rawBody.length} bytes is over the ${limits.maxBodyBytes}-byte limit`);
      throw new DomainError('payload_too_large', 'payload_too_large', `The body is larger than ${limits.maxBodyBytes} bytes`);
    }

    const context = this.codec.context(plugin, row);
    const verified = await this.verify(plugin, request, context);
    if (!verified.ok) {
      await this.reject(row, 'verify', verified.reason);
      throw new DomainError('unauthorized', 'invalid_signature', 'The request signature could not be verified');
    }

    if (request.bodyError !== undefined) await this.refuseUnparsable(row, plugin.id, request);

    // Before the plugin acts on the body (privacy topics erase people): a body that cannot be stored is refused whole.
    const nulField = nulFieldInJsonBody(request.rawBody);
    if (nulField) await this.refuseNul(row, nulField);

    const events = await this.toEvents(plugin, request, context, row);
    const problems = checkCanonicalEvents(events, plugin.emits);
    if (problems.length > 0) {
      await this.reject(row, 'payload', `the plugin produced invalid events: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
      throw new ValidationFailedError(problems, 'unprocessable', 'invalid_event');
    }
    const result = await this.storeEvents(row, plugin.id, events);
    this.deliveries.accepted(row.workspaceId, row.id, request.receivedAt, result.stored.length, result.duplicates);
    return { received: events.length, stored: result.stored.map((e) => e.id), duplicates: result.duplicates };
  }

  /**
   * The group commit retries a failed statement per request, so a refusal here is this request's
   * own. A NUL the body check cannot see (a form-encoded `%00`, a value a plugin fetched) is
   * still a 422 naming the event field, not a 500.
   */
  private async storeEvents(row: PluginInstallation, pluginId: string, events: CanonicalEvent[]) {
    try {
      return await this.store.storeMany(row.workspaceId, row.id, pluginId, events);
    } catch (error) {
      const field = isNulRejection(error) ? nulFieldIn(events, 'events') : null;
      if (!field) throw error;
      return this.refuseNul(row, field);
    }
  }

  /**
   * A signed delivery whose JSON does not parse: kept as a failed event (the sender's mistake
   * stays visible, decision 0164), then refused with 422 naming `body`; the plugin never sees it.
   */
  private async refuseUnparsable(row: PluginInstallation, pluginId: string, request: PluginRequest): Promise<never> {
    const message = `body is not valid JSON: ${request.bodyError}`;
    const eventId = await this.store.storeUnparsable(row.workspaceId, row.id, pluginId, request.rawBody, request.headers['content-type'], message);
    await this.reject(row, 'payload', message);
    const kept = eventId ? `kept as failed event ${eventId}` : 'already kept as a failed event';
    throw new DomainError('unprocessable', 'unprocessable_payload', `The body is not valid JSON; the delivery was ${kept}`, [{ field: 'body', message }]);
  }

  private async refuseNul(row: PluginInstallation, field: string): Promise<never> {
    await this.reject(row, 'payload', `${field}: ${NUL_MESSAGE}`);
    throw new ValidationFailedError([{ field, message: `${field} ${NUL_MESSAGE}` }], 'unprocessable', 'unprocessable_payload');
  }

  private async verify(plugin: OptlinePlugin<object>, request: PluginRequest, context: InstallationContext<object>): Promise<VerifyResult> {
    try {
      return await plugin.verify!(request, context);
    } catch (error) {
      return { ok: false, reason: `verify threw: ${messageOf(error)}` };
    }
  }

  private async toEvents(
    plugin: OptlinePlugin<object>,
    request: PluginRequest,
    context: InstallationContext<object>,
    row: PluginInstallation,
  ): Promise<CanonicalEvent[]> {
    try {
      return await plugin.toEvents!(request, context);
    } catch (error) {
      if (error instanceof PayloadError) {
        await this.reject(row, 'payload', error.field ? `${error.field}: ${error.message}` : error.message);
        const detail: ErrorDetail = { message: error.message, ...(error.field && { field: error.field }) };
        throw new ValidationFailedError([detail], 'unprocessable', 'unprocessable_payload');
      }
      if (error instanceof DomainError) {
        await this.reject(row, 'payload', error.message);
        throw error;
      }
      this.logger.warn({ err: error, pluginId: plugin.id, installationId: row.id }, 'plugin toEvents failed');
      await this.reject(row, 'plugin', messageOf(error));
      throw new DomainError('unavailable', 'plugin_unavailable', 'The plugin could not process this request now; retry later');
    }
  }

  private reject(row: PluginInstallation, source: string, message: string): Promise<void> {
    return this.deliveries.rejected(row.workspaceId, row.id, source, message);
  }
}
