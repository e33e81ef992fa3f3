import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DomainEventBus } from '../events/domain-event-bus';
import { JobQueue } from '../queue/job-queue.service';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The hub's Prometheus metrics. One registry per application (tests run several hubs in one
 * process). Code on the request path only increments counters or observes a histogram; anything
 * that needs Redis (queue depths) is read when Prometheus scrapes.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'optline_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly webhooksReceived = new Counter({
    name: 'optline_webhooks_received_total',
    help: 'Webhook deliveries accepted (answered 200), by plugin',
    labelNames: ['plugin'] as const,
    registers: [this.registry],
  });

  readonly webhooksRejected = new Counter({
    name: 'optline_webhooks_rejected_total',
    help: 'Webhook deliveries refused, by plugin and reason (the error code answered)',
    labelNames: ['plugin', 'reason'] as const,
    registers: [this.registry],
  });

  readonly eventsStored = new Counter({
    name: 'optline_events_stored_total',
    help: 'Trigger events stored from webhooks (redeliveries not counted), by plugin',
    labelNames: ['plugin'] as const,
    registers: [this.registry],
  });

  readonly eventsDispatched = new Counter({
    name: 'optline_events_dispatched_total',
    help: 'Trigger events whose dispatch ended (contact upserted, consent applied, flows consulted), by plugin and status (processed, ignored, failed)',
    labelNames: ['plugin', 'status'] as const,
    registers: [this.registry],
  });

  readonly eventDispatchLag = new Histogram({
    name: 'optline_event_dispatch_lag_seconds',
    help: 'Time from a trigger event being stored to its dispatch ending, by plugin: the events queue falling behind shows here first',
    labelNames: ['plugin'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly messageStatuses = new Counter({
    name: 'optline_message_status_changes_total',
    help: 'Outbound message status changes the send path publishes (held, sent, failed, …), by status and message type',
    labelNames: ['status', 'type'] as const,
    registers: [this.registry],
  });

  readonly messageReasons = new Counter({
    name: 'optline_message_reasons_total',
    help: 'Outbound messages blocked, deferred, held or failed, by status, message type and reason (opted_out, quiet_hours, suppressed, provider_rejected, …)',
    labelNames: ['status', 'type', 'reason'] as const,
    registers: [this.registry],
  });

  readonly providerSendDuration = new Histogram({
    name: 'optline_provider_send_duration_seconds',
    help: "Time the SMS provider took to answer a hand-off, by provider and outcome (accepted, or the error's kind: retry, permanent, opt_out, invalid_number, ambiguous)",
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly providerErrors = new Counter({
    name: 'optline_provider_errors_total',
    help: "Hand-offs the SMS provider refused or did not answer, by provider, the error's kind and its code",
    labelNames: ['provider', 'kind', 'code'] as const,
    registers: [this.registry],
  });

  readonly rearmed = new Counter({
    name: 'optline_reconciler_rearmed_total',
    help: 'Work whose queue job was missing, put back on the queue from Postgres, by reconciler (messages, flow_runs, trigger_events, webhooks)',
    labelNames: ['reconciler'] as const,
    registers: [this.registry],
  });

  constructor(jobs: JobQueue, bus: DomainEventBus) {
    // The send path already announces each outcome; counting it here keeps metrics out of its code.
    bus.subscribe('message.status_changed', (event) => {
      this.messageStatuses.inc({ status: event.status, type: event.type });
      if (event.reason) this.messageReasons.inc({ status: event.status, type: event.type, reason: event.reason });
      return Promise.resolve();
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'optline_' });
    new Gauge({
      name: 'optline_queue_jobs',
      help: 'Jobs per queue and state (waiting, active, delayed, failed), read from Redis at scrape time',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          jobs.all().map(async (queue) => {
            const counts = (await queue.getJobCounts()) as unknown as Record<string, number>;
            for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }

  /** One provider call that started at `startedNs` (process.hrtime.bigint()); `error` when it was refused or not answered. */
  providerCall(provider: string, startedNs: bigint, error?: { kind: string; code: string | null }): void {
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    this.providerSendDuration.observe({ provider, outcome: error ? error.kind : 'accepted' }, seconds);
    if (error) this.providerErrors.inc({ provider, kind: error.kind, code: error.code ?? 'none' });
  }

  /** The text exposition format Prometheus scrapes. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
