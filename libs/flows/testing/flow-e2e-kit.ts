/**
 * Helpers for the flows end-to-end tests (test/e2e/flow*.e2e-spec.ts): a real hub, real
 * Postgres and Redis; time moves only when a test moves the hub's ManualClock, after which the
 * reconciler (the due-work tick) makes the due runs go. Nothing here sleeps for a fixed time:
 * it polls queues and rows with a deadline.
 */
import { ConsentService } from '@optline/consent';
import { Contact, ContactService } from '@optline/contacts';
import { JobQueue } from '@optline/core';
import { FlowReconciler } from '@optline/flows';
import { CanonicalEvent, TriggerEventStore } from '@optline/plugin-sdk';
import type { TestHub, TestWorkspace } from '@optline/testing';
import { Duration } from 'luxon';
import { waitFor } from '../../../test/utils/wait';

export { waitFor };

/** Waits until no queue of this hub has a waiting or running job (delayed ones are timers). */
export async function settle(hub: TestHub, timeoutMs = 20_000): Promise<void> {
  const queues = hub.get(JobQueue).all();
  let quietPasses = 0;
  await waitFor(
    'the queues to drain',
    async () => {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts()));
      const busy = counts.reduce((n, c) => n + c.waiting + c.active, 0);
      quietPasses = busy === 0 ? quietPasses + 1 : 0;
      return quietPasses >= 3;
    },
    timeoutMs,
  );
}

export interface OutboundRow {
  id: string;
  body: string;
  status: string;
  type: string;
  created_at: Date;
  idempotency_key: string;
  origin: Record<string, unknown>;
  deferred_until: Date | null;
}

/** GET /v1/runs/:id as the tests read it. */
export interface RunView {
  id: string;
  status: string;
  stepId: string | null;
  exitReason: string | null;
  timeline: { at: string; stepId: string | null; stepType: string | null; outcome: string; detail: Record<string, unknown>; messageId: string | null; message?: Record<string, unknown> | null }[];
  [field: string]: unknown;
}

export class FlowKit {
  constructor(
    readonly hub: TestHub,
    readonly ws: TestWorkspace,
  ) {}

  http() {
    return this.hub.http();
  }

  async auth(role: Parameters<TestWorkspace['auth']>[0] = 'admin'): Promise<string> {
    return this.ws.auth(role);
  }

  async contact(phone: string, fields: Partial<Pick<Contact, 'firstName' | 'lastName' | 'timeZone' | 'attributes'>> = {}): Promise<Contact> {
    return (await this.hub.get(ContactService).upsertByPhone(this.ws.id, { phone, ...fields })).contact;
  }

  async optIn(contactId: string, types: ('marketing' | 'transactional' | 'conversational')[] = ['marketing', 'transactional', 'conversational']): Promise<void> {
    await this.hub.get(ConsentService).record(this.ws.id, { contactId, types, state: 'opted_in', source: 'web_form', evidence: { form: 'flows-e2e' } });
  }

  /** Creates a flow from a built-in template and activates it; returns its id. */
  async activeTemplate(templateKey: string): Promise<string> {
    const created = await this.http().post('/v1/flows/from-template').set('Authorization', await this.auth('marketing')).send({ templateKey }).expect(201);
    await this.http().post(`/v1/flows/${created.body.id}/activate`).set('Authorization', await this.auth('marketing')).expect(200);
    return created.body.id;
  }

  /** Stores events the way a plugin's webhook does, then lets dispatch and the steps run. */
  async emit(events: (Partial<CanonicalEvent> & Pick<CanonicalEvent, 'type' | 'dedupeKey'>)[]): Promise<{ stored: number; duplicates: number }> {
    const full = events.map((e) => ({ occurredAt: this.hub.manualClock.now(), correlation: {}, data: {}, ...e }) as CanonicalEvent);
    const result = await this.hub.get(TriggerEventStore).storeMany(this.ws.id, null, 'test', full);
    await settle(this.hub);
    return { stored: result.stored.length, duplicates: result.duplicates };
  }

  /** Moves the clock (an ISO duration or an instant), then runs the due-work tick and waits. */
  async advance(to: string | Date): Promise<void> {
    const clock = this.hub.manualClock;
    if (typeof to === 'string' && to.startsWith('P')) clock.advance(Duration.fromISO(to).toMillis());
    else clock.set(to);
    await this.tick();
  }

  /**
   * Lets time pass up to `until` the way a real clock would: the clock stops at every wake-up of
   * this workspace's runs on the way (so each step runs at its own time), then at `until`.
   */
  async runUntil(until: string | Date): Promise<void> {
    const end = new Date(until);
    for (let i = 0; i < 100; i++) {
      const [next] = await this.hub.dataSource.query(
        `SELECT min(wake_at) AS at FROM flow_run WHERE workspace_id = $1 AND status IN ('active', 'waiting') AND wake_at > $2 AND wake_at <= $3`,
        [this.ws.id, this.hub.manualClock.now(), end],
      );
      if (!next?.at) break;
      await this.advance(next.at as Date);
    }
    await this.advance(end);
  }

  async tick(): Promise<void> {
    await this.hub.get(FlowReconciler).reconcile();
    await settle(this.hub);
  }

  async outbound(contactId: string): Promise<OutboundRow[]> {
    return this.hub.dataSource.query(
      `SELECT id, body, status, type, created_at, idempotency_key, origin, deferred_until FROM message
        WHERE workspace_id = $1 AND contact_id = $2 AND direction = 'outbound' ORDER BY created_at, body`,
      [this.ws.id, contactId],
    );
  }

  async runsOf(flowId: string): Promise<{ id: string; status: string; step_id: string | null; wake_at: Date | null; contact_id: string; exit_reason: string | null }[]> {
    return this.hub.dataSource.query(`SELECT id, status, step_id, wake_at, contact_id, exit_reason FROM flow_run WHERE workspace_id = $1 AND flow_id = $2 ORDER BY started_at, id`, [
      this.ws.id,
      flowId,
    ]);
  }

  async run(runId: string): Promise<RunView> {
    return (await this.http().get(`/v1/runs/${runId}`).set('Authorization', await this.auth('support')).expect(200)).body;
  }
}
