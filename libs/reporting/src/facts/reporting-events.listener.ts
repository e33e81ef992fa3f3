import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, DomainEventBus } from '@optline/core';
import { FactWriter } from './fact-writer.service';

/** Statuses that are facts for reporting; queued, sending, held and received are not. */
const REPORTED_STATUSES = new Set(['sent', 'delivered', 'undelivered', 'failed', 'blocked', 'deferred']);

/**
 * Listens to what the lower libraries publish — status changes, clicks, inbound texts, consent
 * changes — and hands it to the batched fact writer. Nothing here queries: the send pipeline
 * pays a Set insertion per status change. With REPORTING=off it does not listen at all.
 */
@Injectable()
export class ReportingEventsListener implements OnModuleInit {
  constructor(
    private readonly bus: DomainEventBus,
    private readonly facts: FactWriter,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.REPORTING === 'off') return;
    this.bus.subscribe('message.status_changed', (e) => {
      if (REPORTED_STATUSES.has(e.status)) this.facts.messageChanged(e.workspaceId, e.messageId);
    });
    this.bus.subscribe('link.clicked', (e) => this.facts.clicked(e));
    this.bus.subscribe('sms.received', (e) => {
      if (e.keyword === null) this.facts.replied(e.workspaceId, e.messageId);
    });
    this.bus.subscribe('consent.changed', (e) => {
      if (e.state === 'opted_out') this.facts.optedOut(e.workspaceId, e.consentEventId);
    });
  }
}
