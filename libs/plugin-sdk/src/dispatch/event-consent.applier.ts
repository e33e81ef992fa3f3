import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Contact } from '@optline/contacts';
import { ConsentChange, ConsentEvent, ConsentService, ConsentStates } from '@optline/consent';
import { BatchOutcome, settleEach } from '@optline/core';
import { DataSource } from 'typeorm';
import type { TriggerEvent, TriggerEventOutcome } from '../events/trigger-event.entity';
import { TriggerEventRepository } from '../events/trigger-event.repository';

/** An event whose contact step is done and whose consent step is to be applied and stored. */
export interface ConsentStepItem {
  event: TriggerEvent;
  contact: Contact | null;
  /** The event's outcome so far; `consent` is filled in once it is committed. */
  outcome: TriggerEventOutcome;
}

/**
 * The dispatch's consent step for a batch: each event's consent statement is appended to the
 * ledger and the events' outcomes (contact and consent steps) are stored in the same
 * transaction, so an entry is in the ledger exactly when its event says so — a retry, even after
 * a crash, never appends it twice.
 */
@Injectable()
export class EventConsentApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consent: ConsentService,
    private readonly events: TriggerEventRepository,
  ) {}

  /**
   * One ledger append (one chain lock) and one outcome update for the batch; if that
   * transaction fails, each event on its own, so a bad statement (say an unknown disclosure)
   * fails its own event only.
   */
  async applyMany(workspaceId: string, items: ConsentStepItem[]): Promise<BatchOutcome<void>[]> {
    if (items.length === 0) return [];
    const pending = items.filter((i) => i.contact && i.event.consentHint?.state === 'pending').map((i) => i.contact!.id);
    const states = pending.length > 0 ? await this.consent.statesFor(workspaceId, pending) : new Map<string, ConsentStates>();
    const planned = items.map((item) => this.plan(item, states));
    try {
      await this.commit(workspaceId, items, planned);
      return items.map(() => ({ ok: true as const, value: undefined }));
    } catch {
      return settleEach(
        items.map((item, i) => ({ item, plan: planned[i] })),
        ({ item, plan }) => this.commit(workspaceId, [item], [plan]),
      );
    }
  }

  private async commit(workspaceId: string, items: ConsentStepItem[], planned: Plan[]): Promise<void> {
    const changes = planned.flatMap((p) => (p.change ? [p.change] : []));
    let entries: ConsentEvent[] = [];
    await this.dataSource.transaction(async (manager) => {
      entries = changes.length > 0 ? await this.consent.recordMany(workspaceId, changes, manager) : [];
      const rows = items.map((item, i) => ({
        id: item.event.id,
        contactId: item.contact?.id ?? null,
        outcome: { ...item.outcome, ...(planned[i].consent && { consent: planned[i].consent }) },
      }));
      await this.events.updateMany(workspaceId, rows, manager);
    });
    items.forEach((item, i) => {
      if (planned[i].consent) item.outcome.consent = planned[i].consent;
    });
    await this.consent.publish(entries);
  }

  /**
   * The ledger change an event's consent hint asks for. A 'pending' request never downgrades a
   * type the person already opted in to (a second form submission must not re-ask for YES).
   */
  private plan({ event, contact }: ConsentStepItem, states: Map<string, ConsentStates>): Plan {
    const hint = event.consentHint;
    if (!hint) return {};
    if (!contact) return { consent: { skipped: 'no_contact' } };
    let types = [...hint.types];
    let unchanged: string[] = [];
    if (hint.state === 'pending') {
      const current = states.get(contact.id);
      unchanged = types.filter((type) => current?.[type] === 'opted_in');
      types = types.filter((type) => !unchanged.includes(type));
    }
    const consent = { recorded: types, state: hint.state, ...(unchanged.length > 0 && { unchanged }) };
    if (types.length === 0) return { consent };
    const change: ConsentChange = {
      contactId: contact.id,
      types,
      state: hint.state,
      source: hint.source,
      evidence: { ...hint.evidence, triggerEventId: event.id },
      disclosureId: hint.disclosureId ?? null,
      occurredAt: event.occurredAt,
    };
    return { consent, change };
  }
}

interface Plan {
  consent?: NonNullable<TriggerEventOutcome['consent']>;
  change?: ConsentChange;
}
