import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, DomainEventBus, DomainEventMap } from '@optline/core';
import { DataSource } from 'typeorm';
import { WebhookFanOut } from '../deliveries/webhook-fan-out.service';
import { OutboundEvent, WebhookEventType } from './webhook-event-types';

/** Statuses a receiver acts on; queued, sending, held and received are the hub's own steps. */
const ANNOUNCED_STATUSES = new Set(['sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred']);

/**
 * Turns the domain events the libraries already publish into outbound webhook events. Nothing
 * here edits the libraries: each domain event maps to one webhook type. The fan-out answers from
 * a short-lived cache whether anyone listens before this reads anything (the send path publishes
 * a status change per message).
 */
@Injectable()
export class WebhookEventsListener implements OnModuleInit {
  constructor(
    private readonly bus: DomainEventBus,
    private readonly fanOut: WebhookFanOut,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('consent.changed', (e) => this.consentChanged(e));
    this.bus.subscribe('message.status_changed', (e) => this.messageStatus(e));
    this.bus.subscribe('sms.received', (e) => this.received(e));
    this.bus.subscribe('flow.run_ended', (e) =>
      this.emit(e.workspaceId, 'flow_run.ended', `${e.runId}`, { runId: e.runId, flowId: e.flowId, contactId: e.contactId, status: e.status, reason: e.reason }),
    );
    this.bus.subscribe('import.ended', (e) =>
      this.emit(e.workspaceId, 'contact_import.ended', `${e.importId}:${e.status}`, { importId: e.importId, status: e.status, error: e.error }),
    );
    this.bus.subscribe('campaign.ended', (e) =>
      this.emit(e.workspaceId, 'campaign.ended', `${e.campaignId}:${e.status}`, { campaignId: e.campaignId, status: e.status }),
    );
  }

  private async consentChanged(e: DomainEventMap['consent.changed']): Promise<void> {
    if (!(await this.fanOut.listens(e.workspaceId, 'consent.changed'))) return;
    const [row] = (await this.dataSource.query(`SELECT phone FROM contact WHERE workspace_id = $1 AND id = $2`, [e.workspaceId, e.contactId])) as { phone: string | null }[];
    await this.emit(e.workspaceId, 'consent.changed', e.consentEventId, {
      consentEventId: e.consentEventId,
      contactId: e.contactId,
      phone: row?.phone ?? null,
      messageType: e.messageType,
      state: e.state,
      source: e.source,
    });
  }

  private async messageStatus(e: DomainEventMap['message.status_changed']): Promise<void> {
    if (!ANNOUNCED_STATUSES.has(e.status) || !(await this.fanOut.listens(e.workspaceId, 'message.status_changed'))) return;
    const [row] = (await this.dataSource.query(`SELECT phone, reason FROM message WHERE workspace_id = $1 AND id = $2`, [e.workspaceId, e.messageId])) as { phone: string | null; reason: string | null }[];
    await this.emit(e.workspaceId, 'message.status_changed', `${e.messageId}:${e.status}`, {
      messageId: e.messageId,
      contactId: e.contactId,
      phone: row?.phone ?? null,
      status: e.status,
      reason: row?.reason ?? null,
      messageType: e.type,
    });
  }

  private async received(e: DomainEventMap['sms.received']): Promise<void> {
    if (!(await this.fanOut.listens(e.workspaceId, 'message.received'))) return;
    const [row] = (await this.dataSource.query(`SELECT phone FROM message WHERE workspace_id = $1 AND id = $2`, [e.workspaceId, e.messageId])) as { phone: string | null }[];
    await this.emit(e.workspaceId, 'message.received', e.messageId, {
      messageId: e.messageId,
      contactId: e.contactId,
      from: row?.phone ?? null,
      body: e.body,
      keyword: e.keyword,
    });
  }

  private async emit(workspaceId: string, type: WebhookEventType, key: string, data: Record<string, unknown>): Promise<void> {
    const event: OutboundEvent = { type, key: `${type}:${key}`, payload: { type, timestamp: this.clock.now().toISOString(), workspaceId, data } };
    await this.fanOut.deliver(workspaceId, event);
  }
}
