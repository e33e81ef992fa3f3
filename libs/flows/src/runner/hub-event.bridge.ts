import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ContactService } from '@optline/contacts';
import { Clock, DomainEventBus, DomainEventMap } from '@optline/core';
import { CanonicalEvent, HUB_SOURCE, TriggerEventStore } from '@optline/plugin-sdk';
import { FlowRepository } from '../persistence/flow.repository';

/**
 * What flows see of an inbound text as `event.*`. `text` is the reply trimmed and upper-cased,
 * for keyword filters (`{"==": [{"var": "event.text"}, "JOIN"]}`).
 */
export function smsReceivedData(messageId: string | null, body: string, keyword: string | null): Record<string, unknown> {
  return { messageId, body, text: body.trim().replace(/\s+/g, ' ').toUpperCase(), keyword };
}

/**
 * Turns the hub's own happenings (an inbound SMS, a consent change) into stored trigger events
 * — `sms.received`, `consent.changed` — when an active flow of the workspace listens for them,
 * so they enrol exactly like webhook events: stored once (deduplicated by message or ledger
 * entry), dispatched by a durable job.
 */
@Injectable()
export class HubEventBridge implements OnModuleInit {
  private readonly logger = new Logger(HubEventBridge.name);

  constructor(
    private readonly bus: DomainEventBus,
    private readonly flows: FlowRepository,
    private readonly contacts: ContactService,
    private readonly store: TriggerEventStore,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('sms.received', (sms) => this.smsReceived(sms));
    this.bus.subscribe('consent.changed', (change) => this.consentChanged(change));
  }

  async smsReceived(sms: DomainEventMap['sms.received']): Promise<void> {
    if (!(await this.flows.anyActiveTriggeredBy(sms.workspaceId, 'sms.received'))) return;
    await this.emit(sms.workspaceId, sms.contactId, {
      type: 'sms.received',
      dedupeKey: `sms.received:${sms.messageId}`,
      occurredAt: this.clock.now(),
      correlation: { messageId: sms.messageId },
      data: smsReceivedData(sms.messageId, sms.body, sms.keyword),
    });
  }

  async consentChanged(change: DomainEventMap['consent.changed']): Promise<void> {
    if (!(await this.flows.anyActiveTriggeredBy(change.workspaceId, 'consent.changed'))) return;
    await this.emit(change.workspaceId, change.contactId, {
      type: 'consent.changed',
      dedupeKey: `consent.changed:${change.consentEventId}`,
      occurredAt: this.clock.now(),
      correlation: {},
      data: { consentEventId: change.consentEventId, messageType: change.messageType, state: change.state, source: change.source },
    });
  }

  private async emit(workspaceId: string, contactId: string, event: Omit<CanonicalEvent, 'contact'>): Promise<void> {
    const contact = await this.contacts.getMany(workspaceId, [contactId]);
    const phone = contact[0]?.phone;
    if (!phone) return; // erased or unknown: nothing to enrol
    await this.store.storeMany(workspaceId, null, HUB_SOURCE, [{ ...event, contact: { phone } } as CanonicalEvent]);
    this.logger.debug({ workspaceId, type: event.type }, 'hub event stored for flows');
  }
}
