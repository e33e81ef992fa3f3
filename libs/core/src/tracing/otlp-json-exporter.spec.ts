import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OtlpJsonExporter } from './otlp-json-exporter';

/** Two finished spans, parent and child, as the SDK hands them to an exporter. */
function finishedSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('spec');
  const parent = tracer.startSpan('parent');
  tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
  parent.end();
  return memory.getFinishedSpans();
}

const exportTo = (exporter: OtlpJsonExporter, spans: ReadableSpan[]) => new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

describe('OtlpJsonExporter', () => {
  let server: Server;
  let status = 200;
  const bodies: { contentType?: string; body: { resourceSpans: { scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string; spanId: string }[] }[] }[] } }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/otel/v1/traces') bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString()) });
        res.writeHead(status).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/otel/`;

  it('posts OTLP JSON to <endpoint>/v1/traces: hex ids, the parent named', async () => {
    const exporter = new OtlpJsonExporter(endpoint());
    expect((await exportTo(exporter, finishedSpans())).code).toBe(ExportResultCode.SUCCESS);
    const [{ contentType, body }] = bodies;
    expect(contentType).toBe('application/json');
    const spans = body.resourceSpans[0].scopeSpans[0].spans;
    const parent = spans.find((s) => s.name === 'parent')!;
    const child = spans.find((s) => s.name === 'child')!;
    expect(parent.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child).toMatchObject({ traceId: parent.traceId, parentSpanId: parent.spanId });
    await exporter.shutdown();
  });

  it('reports a failure (never throws) when the collector refuses or is not there', async () => {
    status = 503;
    const refused = new OtlpJsonExporter(endpoint());
    expect((await exportTo(refused, finishedSpans())).code).toBe(ExportResultCode.FAILED);
    const nobody = new OtlpJsonExporter('http://127.0.0.1:1');
    const result = await exportTo(nobody, finishedSpans());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toMatch(/ECONNREFUSED/);
    await Promise.all([refused.shutdown(), nobody.shutdown()]);
  });
});
