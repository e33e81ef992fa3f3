import { Injectable } from '@nestjs/common';
import { Clock, DomainError, newWebhookSecret, NotFoundError, SecretBox, ValidationFailedError } from '@optline/core';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookSubscriptions } from './webhook-subscriptions';

/** The most endpoints one workspace may have. */
export const MAX_ENDPOINTS_PER_WORKSPACE = 20;

export interface EndpointInput {
  url: string;
  description?: string;
  eventTypes: string[];
}

export interface EndpointChanges {
  url?: string;
  description?: string;
  eventTypes?: string[];
  enabled?: boolean;
}

/** An endpoint and, right after creation or rotation only, its secret in clear. */
export type EndpointWithSecret = Omit<WebhookEndpoint, 'secret'> & { secret: string };

/** Endpoints: create (secret made here, sealed, shown once), change, enable/disable, rotate, delete. */
@Injectable()
export class WebhookEndpointService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly secretBox: SecretBox,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly clock: Clock,
  ) {}

  list(workspaceId: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.list(workspaceId);
  }

  async get(workspaceId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(workspaceId, id);
    if (!endpoint) throw new NotFoundError('Webhook endpoint', id);
    return endpoint;
  }

  async create(workspaceId: string, input: EndpointInput): Promise<EndpointWithSecret> {
    if ((await this.endpoints.count(workspaceId)) >= MAX_ENDPOINTS_PER_WORKSPACE) {
      throw new ValidationFailedError([{ message: `a workspace may have at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints` }], 'unprocessable', 'too_many_endpoints');
    }
    const secret = newWebhookSecret();
    const endpoint = await this.endpoints.insert({
      workspaceId,
      url: input.url,
      description: input.description ?? '',
      eventTypes: unique(input.eventTypes),
      secret: this.secretBox.seal(secret),
      secretHint: hintOf(secret),
      enabled: true,
    });
    this.subscriptions.forget(workspaceId);
    delete endpoint.secret;
    return { ...endpoint, secret };
  }

  async update(workspaceId: string, id: string, changes: EndpointChanges): Promise<WebhookEndpoint> {
    const endpoint = await this.get(workspaceId, id);
    const next: Partial<WebhookEndpoint> = {};
    if (changes.url !== undefined) next.url = changes.url;
    if (changes.description !== undefined) next.description = changes.description;
    if (changes.eventTypes !== undefined) next.eventTypes = unique(changes.eventTypes);
    if (changes.enabled === true && !endpoint.enabled) Object.assign(next, { enabled: true, disabledReason: null, disabledAt: null, failedInARow: 0 });
    if (changes.enabled === false && endpoint.enabled) Object.assign(next, { enabled: false, disabledReason: 'Disabled by a person', disabledAt: this.clock.now() });
    if (Object.keys(next).length > 0) await this.endpoints.update(workspaceId, id, next);
    this.subscriptions.forget(workspaceId);
    return this.get(workspaceId, id);
  }

  /** A new secret at once; the old one stops signing (receivers swap it in when they see the new one). */
  async rotateSecret(workspaceId: string, id: string): Promise<EndpointWithSecret> {
    await this.get(workspaceId, id);
    const secret = newWebhookSecret();
    await this.endpoints.update(workspaceId, id, { secret: this.secretBox.seal(secret), secretHint: hintOf(secret) });
    return { ...(await this.get(workspaceId, id)), secret };
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(workspaceId, id))) throw new NotFoundError('Webhook endpoint', id);
    this.subscriptions.forget(workspaceId);
  }

  /** The endpoint's secret in clear, for signing. */
  async signingSecret(workspaceId: string, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const endpoint = await this.endpoints.withSecret(workspaceId, id);
    if (!endpoint) throw new NotFoundError('Webhook endpoint', id);
    return { endpoint, secret: this.secretBox.open(endpoint.secret) };
  }

  recordSuccess(workspaceId: string, id: string): Promise<void> {
    return this.endpoints.recordSuccess(workspaceId, id);
  }

  /** A delivery failed every attempt. Answers whether that disabled the endpoint. */
  async recordFinalFailure(workspaceId: string, id: string, limit: number, reason: string): Promise<boolean> {
    const disabled = await this.endpoints.recordFinalFailure(workspaceId, id, limit, reason, this.clock.now());
    if (disabled) this.subscriptions.forget(workspaceId);
    return disabled;
  }

  async assertEnabled(workspaceId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.get(workspaceId, id);
    if (!endpoint.enabled) throw new DomainError('conflict', 'endpoint_disabled', `The endpoint is disabled (${endpoint.disabledReason ?? 'no reason recorded'}); enable it first`);
    return endpoint;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function hintOf(secret: string): string {
  return secret.slice(-4);
}
