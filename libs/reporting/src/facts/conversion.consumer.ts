import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Contact } from '@optline/contacts';
import { AppConfig, type BatchOutcome } from '@optline/core';
import { ConsumedEvent, TriggerEvent, TriggerEventConsumer, TriggerEventConsumers } from '@optline/plugin-sdk';
import { ReportSettingsService } from '../settings/report-settings.service';
import { FactWriter } from './fact-writer.service';

/**
 * Orders (and other conversion events) are attributed inside the event dispatch job, so a
 * failure retries with the job and a replayed event finds its fact already stored (keyed by
 * the event id).
 */
@Injectable()
export class ConversionConsumer implements TriggerEventConsumer, OnModuleInit {
  readonly name = 'reporting';

  constructor(
    private readonly consumers: TriggerEventConsumers,
    private readonly facts: FactWriter,
    private readonly settings: ReportSettingsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // REPORTING=off: orders are not attributed (a recompute does it once reporting is back on).
    if (this.config.REPORTING === 'off') return;
    this.consumers.register(this);
  }

  async consume(event: TriggerEvent, contact: Contact | null): Promise<Record<string, unknown>> {
    const [outcome] = await this.consumeMany([{ event, contact }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  async consumeMany(items: ConsumedEvent[]): Promise<BatchOutcome<Record<string, unknown>>[]> {
    // Most events are not conversions: decided here, from remembered settings, without a query.
    const candidates: { workspaceId: string; eventId: string; contactId: string }[] = [];
    for (const { event, contact } of items) {
      if (!contact) continue;
      const { conversionEvents } = await this.settings.cached(event.workspaceId);
      if (conversionEvents.includes(event.type)) candidates.push({ workspaceId: event.workspaceId, eventId: event.id, contactId: contact.id });
    }
    await this.facts.conversions(candidates);
    return items.map(() => ({ ok: true as const, value: {} }));
  }
}
