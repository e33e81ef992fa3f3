import { Logger } from '@nestjs/common';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const TIMEOUT_MS = 10_000;

/**
 * Spans to an OpenTelemetry collector over OTLP/HTTP with JSON bodies. The encoding is the
 * library's (JsonTraceSerializer); only the POST is ours: the library's own Node transport loads
 * `node:http` with a dynamic `import()`, which the test runner's module sandbox cannot do, and
 * a trace nobody can test is not worth exporting (decision 0265).
 */
export class OtlpJsonExporter implements SpanExporter {
  private readonly logger = new Logger('Tracing');
  private readonly url: URL;
  private readonly agent: Agent;
  private warned = false;

  constructor(endpoint: string) {
    this.url = new URL(`${endpoint.replace(/\/+$/, '')}/v1/traces`);
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new Agent({ keepAlive: true });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) return done({ code: ExportResultCode.FAILED, error: new Error('spans could not be serialised') });
    const send = this.url.protocol === 'https:' ? httpsRequest : request;
    const req = send(this.url, { method: 'POST', agent: this.agent, timeout: TIMEOUT_MS, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => {
        const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        if (!ok) this.warnOnce(`the collector at ${this.url.origin} answered ${res.statusCode}`);
        done(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error(`collector answered ${res.statusCode}`) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (error) => {
      this.warnOnce(`spans could not reach the collector at ${this.url.origin}: ${error.message}`);
      done({ code: ExportResultCode.FAILED, error });
    });
    req.end(body);
  }

  async shutdown(): Promise<void> {
    this.agent.destroy();
  }

  /** A collector that is down costs one warning, not one per batch; tracing never stops the hub. */
  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn(`${message}; spans are dropped until it answers (OTEL_EXPORTER_OTLP_ENDPOINT)`);
  }
}
