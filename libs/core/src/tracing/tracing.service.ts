import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Context, context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { OtlpJsonExporter } from './otlp-json-exporter';

export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: SpanAttributes;
  /**
   * The W3C `traceparent` this span continues (stored on a row, carried by a job); when absent
   * the span is a child of the active one, or a new trace.
   */
  parent?: string | null;
}

/** A span begun in one place and ended in another (a batch whose items end together). */
export interface StartedSpan {
  /** Its W3C `traceparent`, for the rows and jobs that continue the trace. */
  readonly traceparent: string;
  setAttributes(attributes: SpanAttributes): void;
  end(error?: unknown): void;
}

const propagator = new W3CTraceContextPropagator();
let contextManagerSet = false;

/** The one context manager of the process (several hubs in one test process share it). */
function ensureContextManager(): void {
  if (contextManagerSet) return;
  contextManagerSet = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

function parentContext(parent: string | null | undefined): Context {
  if (!parent) return context.active();
  return propagator.extract(ROOT_CONTEXT, { traceparent: parent }, { get: (carrier, key) => carrier[key as 'traceparent'], keys: (carrier) => Object.keys(carrier) });
}

function traceparentOf(span: Span): string {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (c, key, value) => (c[key] = value) });
  return carrier.traceparent;
}

function clean(attributes: SpanAttributes | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(attributes ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
}

/**
 * OpenTelemetry spans from a webhook to the provider hand-off, exported over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (decision 0265). Off, every method is a pass-through that
 * costs a branch. The trace crosses queues through rows, not job payloads: a stored event keeps
 * the `traceparent` of the request that stored it, a run the one of the dispatch that started it,
 * a message the one of its run — so a job re-armed from Postgres after a Redis loss still
 * continues its trace.
 */
@Injectable()
export class Tracing implements OnApplicationShutdown {
  private readonly provider: BasicTracerProvider | null = null;
  private readonly tracer: Tracer | null = null;

  constructor(config: AppConfig) {
    const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (!endpoint) return;
    ensureContextManager();
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME, 'service.instance.id': `${hostname()}:${process.pid}`, 'optline.role': config.HUB_ROLE }),
      spanProcessors: [new BatchSpanProcessor(new OtlpJsonExporter(endpoint), { scheduledDelayMillis: 1000 })],
    });
    this.tracer = this.provider.getTracer('optline');
  }

  get enabled(): boolean {
    return this.tracer !== null;
  }

  /** The active span's `traceparent`, or null (tracing off, or no span). */
  current(): string | null {
    if (!this.tracer) return null;
    const span = trace.getSpan(context.active());
    return span ? traceparentOf(span) : null;
  }

  /** Runs `fn` inside a new span (its children see it as active); an error marks the span and is rethrown. */
  async inSpan<T>(name: string, options: SpanOptions, fn: () => Promise<T>): Promise<T> {
    if (!this.tracer) return fn();
    const span = this.tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: clean(options.attributes) }, parentContext(options.parent));
    try {
      const result = await context.with(trace.setSpan(context.active(), span), fn);
      span.end();
      return result;
    } catch (error) {
      this.fail(span, error);
      span.end();
      throw error;
    }
  }

  /** Begins a span to end later; null when tracing is off or there is no parent to continue. */
  start(name: string, options: SpanOptions & { requireParent?: boolean }): StartedSpan | null {
    if (!this.tracer || (options.requireParent && !options.parent)) return null;
    const span = this.tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: clean(options.attributes) }, parentContext(options.parent));
    return {
      traceparent: traceparentOf(span),
      setAttributes: (attributes) => span.setAttributes(clean(attributes)),
      end: (error?: unknown) => {
        if (error !== undefined) this.fail(span, error);
        span.end();
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider?.shutdown().catch(() => undefined);
  }

  private fail(span: Span, error: unknown): void {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException(error);
  }
}

export { SpanKind };
