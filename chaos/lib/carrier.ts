/**
 * The local carrier: the hub's `http` SMS provider posts each text here. It checks the signature,
 * records the call (workspace, message id, to, body, time of arrival) and answers like a carrier
 * (`200 { id }`). It is also the carrier's side of the webhooks: inbound texts and delivery
 * reports are signed the same way and sent to the hub's api processes through a client-side load
 * balancer that retries another process on a refused or cut connection, a 5xx or a timeout — what
 * a carrier does with a webhook that was not answered 2xx.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { request } from 'node:http';

export const SIGNING_SECRET = 'chaos-carrier-signing-secret-0123';

export interface CarrierCall {
  label: string;
  messageId: string;
  to: string;
  body: string;
  /** Date.now() when the request arrived, before it was answered. */
  at: number;
}

export interface WebhookResult {
  ok: boolean;
  status: number;
  /** Date.now() of the first attempt and of the 2xx answer (null when none came). */
  startedAt: number;
  answeredAt: number | null;
  attempts: number;
  body: string;
}

function sign(timestamp: number, raw: string): string {
  return `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.`).update(raw).digest('hex')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Carrier {
  readonly calls: CarrierCall[] = [];
  private readonly perLabel = new Map<string, number>();
  /** Requests whose signature did not verify (the hub signs every send; must stay 0). */
  badSignatures = 0;
  private server: Server | null = null;
  private seq = 0;
  private readonly callbacks = new Set<Promise<unknown>>();
  port = 0;

  constructor(
    private readonly apiPorts: () => number[],
    /** Every n-th accepted message gets a `delivered` report (0: none). */
    private readonly deliveryReportEvery: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Calls recorded so far for one label. */
  countFor(label: string): number {
    return this.perLabel.get(label) ?? 0;
  }

  callsFor(label: string): CarrierCall[] {
    return this.calls.filter((c) => c.label === label);
  }

  /** The URL a workspace's provider posts to; `label` keeps each scenario's calls apart. */
  urlFor(label: string): string {
    return `http://127.0.0.1:${this.port}/carrier/${label}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const label = /^\/carrier\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const timestamp = Number(req.headers['x-optline-timestamp']);
    if (!label || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    if (req.headers['x-optline-signature'] !== sign(timestamp, raw)) {
      this.badSignatures++;
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'unauthorized', message: 'bad signature' }));
      return;
    }
    const sms = JSON.parse(raw) as { messageId: string; to: string; body: string; statusCallbackUrl?: string };
    this.calls.push({ label, messageId: sms.messageId, to: sms.to, body: sms.body, at });
    this.perLabel.set(label, (this.perLabel.get(label) ?? 0) + 1);
    const id = `carrier-${++this.seq}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    if (this.deliveryReportEvery > 0 && this.seq % this.deliveryReportEvery === 0 && sms.statusCallbackUrl) {
      const url = new URL(sms.statusCallbackUrl);
      const report = (async () => {
        await sleep(200 + (this.seq % 7) * 50);
        await this.post(`${url.pathname}${url.search}`, { id, status: 'delivered' }, 5);
      })().catch(() => undefined);
      this.callbacks.add(report);
      void report.finally(() => this.callbacks.delete(report));
    }
  }

  /** An inbound text from `from`, signed, retried on failure (at most `tries` attempts). */
  inbound(workspaceId: string, text: { id: string; from: string; body: string }, tries = 6): Promise<WebhookResult> {
    return this.post(`/hooks/sms/http/${workspaceId}`, text, tries);
  }

  private rr = 0;

  /** POSTs signed JSON to one live api process, another one on each retry. */
  async post(path: string, payload: unknown, tries: number): Promise<WebhookResult> {
    const raw = JSON.stringify(payload);
    const startedAt = Date.now();
    let last = { status: 0, body: '' };
    for (let attempt = 1; attempt <= tries; attempt++) {
      const ports = this.apiPorts();
      if (ports.length === 0) {
        await sleep(500);
        continue;
      }
      const port = ports[this.rr++ % ports.length];
      const timestamp = Math.floor(Date.now() / 1000);
      last = await sendOnce(port, path, raw, { 'x-optline-timestamp': String(timestamp), 'x-optline-signature': sign(timestamp, raw) });
      if (last.status >= 200 && last.status < 300) return { ok: true, status: last.status, startedAt, answeredAt: Date.now(), attempts: attempt, body: last.body };
      if (last.status >= 400 && last.status < 500) break; // the hub refused it for good: do not retry
      await sleep(Math.min(200 * attempt, 1000));
    }
    return { ok: false, status: last.status, startedAt, answeredAt: null, attempts: tries, body: last.body };
  }

  /** Waits for the delivery reports still in flight. */
  async drain(): Promise<void> {
    await Promise.all([...this.callbacks]);
  }

  async stop(): Promise<void> {
    await this.drain();
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    this.server = null;
  }
}

/** One POST with a 10 s timeout; status 0 for a refused, cut or timed-out connection. */
function sendOnce(port: number, path: string, raw: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      res.on('error', () => done({ status: 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done({ status: 0, body: '' }));
    req.end(raw);
  });
}
