import { Injectable, Logger } from '@nestjs/common';
import { Contact, ContactService } from '@optline/contacts';
import { Clock, WorkspaceService } from '@optline/core';
import { CanonicalEvent, HUB_SOURCE, TriggerEventStore } from '@optline/plugin-sdk';
import { FlowRepository } from '../persistence/flow.repository';
import { dateReached, lapsedSince } from './dated-attribute';

const PAGE = 500;

export interface ScanReport {
  dateReached: number;
  lapsed: number;
}

/**
 * The events the hub emits on its own clock: `contact.date_reached` (a birthday or anniversary
 * attribute is today in the contact's zone; once a year by its dedupe key) and
 * `customer.lapsed` (the last order is older than a flow's `lapsedDays`; once per last order).
 * Only attributes and lengths some active flow asks for are scanned. Events go through the
 * trigger-event store like any webhook, so dedupe and dispatch are the same.
 */
@Injectable()
export class ScheduledEventScanner {
  private readonly logger = new Logger(ScheduledEventScanner.name);

  constructor(
    private readonly flows: FlowRepository,
    private readonly contacts: ContactService,
    private readonly workspaces: WorkspaceService,
    private readonly store: TriggerEventStore,
    private readonly clock: Clock,
  ) {}

  async scan(): Promise<ScanReport> {
    const now = this.clock.now();
    const report: ScanReport = { dateReached: 0, lapsed: 0 };
    for (const [workspaceId, attributes] of await this.wanted('contact.date_reached', (t) => t.dateAttribute)) {
      const zone = (await this.workspaces.get(workspaceId)).timeZone;
      for (const attribute of attributes) report.dateReached += await this.emitDates(workspaceId, attribute as string, zone, now);
    }
    for (const [workspaceId, lengths] of await this.wanted('customer.lapsed', (t) => t.lapsedDays)) {
      for (const days of lengths) report.lapsed += await this.emitLapsed(workspaceId, days as number, now);
    }
    if (report.dateReached + report.lapsed > 0) this.logger.log(report, 'scheduled flow events emitted');
    return report;
  }

  /** Per workspace, the distinct trigger options (attribute names, lapse lengths) active flows use. */
  private async wanted(type: string, option: (trigger: { dateAttribute?: string; lapsedDays?: number }) => string | number | undefined) {
    const byWorkspace = new Map<string, Set<string | number>>();
    for (const { flow, version } of await this.flows.activeForScheduledEvent(type)) {
      const value = option(version.definition.trigger);
      if (value === undefined) continue;
      byWorkspace.set(flow.workspaceId, (byWorkspace.get(flow.workspaceId) ?? new Set()).add(value));
    }
    return byWorkspace;
  }

  private async emitDates(workspaceId: string, attribute: string, workspaceZone: string, now: Date): Promise<number> {
    return this.forEachPage(workspaceId, attribute, async (contacts) =>
      contacts.flatMap((contact): CanonicalEvent[] => {
        const reached = dateReached(contact.attributes?.[attribute], now, contact.timeZone ?? workspaceZone);
        if (!reached || !contact.phone) return [];
        return [
          {
            type: 'contact.date_reached',
            dedupeKey: `contact.date_reached:${contact.id}:${attribute}:${reached.year}`,
            occurredAt: now,
            contact: { phone: contact.phone },
            correlation: { dateKey: `${attribute}:${reached.year}` },
            data: { attribute, date: contact.attributes[attribute], day: reached.day, years: reached.years },
          },
        ];
      }),
    );
  }

  private async emitLapsed(workspaceId: string, days: number, now: Date): Promise<number> {
    return this.forEachPage(workspaceId, 'lastOrderAt', async (contacts) =>
      contacts.flatMap((contact): CanonicalEvent[] => {
        const lapsed = lapsedSince(contact.attributes?.lastOrderAt, now, days);
        if (!lapsed || !contact.phone) return [];
        return [
          {
            type: 'customer.lapsed',
            dedupeKey: `customer.lapsed:${contact.id}:${days}:${lapsed.lastOrderAt}`,
            occurredAt: now,
            contact: { phone: contact.phone },
            correlation: {},
            data: { lapsedDays: days, lastOrderAt: lapsed.lastOrderAt, daysSince: lapsed.daysSince },
          },
        ];
      }),
    );
  }

  /** Pages through contacts holding the attribute; stores each page's events in one call. */
  private async forEachPage(workspaceId: string, attribute: string, toEvents: (contacts: Contact[]) => Promise<CanonicalEvent[]>): Promise<number> {
    let after: string | undefined;
    let stored = 0;
    for (;;) {
      const page = await this.contacts.list(workspaceId, { attribute: { key: attribute }, after, limit: PAGE });
      if (page.length === 0) break;
      const events = await toEvents(page);
      if (events.length > 0) stored += (await this.store.storeMany(workspaceId, null, HUB_SOURCE, events)).stored.length;
      after = page[page.length - 1].id;
      if (page.length < PAGE) break;
    }
    return stored;
  }
}
