/**
 * The local carrier: the hub's `http` SMS provider posts each text to its recorder, a process of
 * its own (carrier-recorder.ts) that checks the signature, stamps the arrival and answers like a
 * carrier (`200 { id }`). This side keeps the record and is the carrier's side of the webhooks:
 * inbound texts and delivery reports are signed the same way and sent to the hub's api processes
 * through a client-side load balancer that retries another process on a refused or cut
 * connection, a 5xx or a timeout — what a carrier does with a webhook that was not answered 2xx.
 */
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import type { RecorderMessage, RecorderRequest } from './carrier-recorder';
import { sign } from './carrier-signature';

export { SIGNING_SECRET } from './carrier-signature';

export interface CarrierCall {
  label: string;
  messageId: string;
  to: string;
  body: string;
  /** Date.now() in the recorder when the request arrived, before it was answered. */
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Carrier {
  readonly calls: CarrierCall[] = [];
  private readonly perLabel = new Map<string, number>();
  /** Requests whose signature did not verify (the hub signs every send; must stay 0). */
  badSignatures = 0;
  private recorder: ChildProcess | null = null;
  private readonly flushes = new Map<number, (loop: { p99Ms: number; maxMs: number }) => void>();
  private flushSeq = 0;
  private accepted = 0;
  private readonly callbacks = new Set<Promise<unknown>>();
  port = 0;

  constructor(
    private readonly apiPorts: () => number[],
    /** Every n-th accepted message gets a `delivered` report (0: none). */
    private readonly deliveryReportEvery: number,
  ) {}

  async start(): Promise<void> {
    const recorder = fork(join(__dirname, 'carrier-recorder.ts'), [], { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.recorder = recorder;
    recorder.on('message', (message: RecorderMessage) => this.receive(message));
    const [first] = (await Promise.race([once(recorder, 'message'), once(recorder, 'exit').then(() => [null])])) as [RecorderMessage | null];
    if (first?.type !== 'listening') throw new Error('the carrier recorder did not start');
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

  private receive(message: RecorderMessage): void {
    if (message.type === 'listening') this.port = message.port;
    else if (message.type === 'bad-signature') this.badSignatures++;
    else if (message.type === 'flushed') {
      this.flushes.get(message.token)?.(message.loop);
      this.flushes.delete(message.token);
    } else {
      this.calls.push(message.call);
      this.perLabel.set(message.call.label, (this.perLabel.get(message.call.label) ?? 0) + 1);
      this.accepted++;
      if (this.deliveryReportEvery > 0 && this.accepted % this.deliveryReportEvery === 0 && message.statusCallbackUrl) this.report(message.id, message.statusCallbackUrl);
    }
  }

  /** A `delivered` report for an accepted text, a moment later, as a carrier sends one. */
  private report(id: string, statusCallbackUrl: string): void {
    const url = new URL(statusCallbackUrl);
    const report = (async () => {
      await sleep(200 + (this.accepted % 7) * 50);
      await this.post(`${url.pathname}${url.search}`, { id, status: 'delivered' }, 5);
    })().catch(() => undefined);
    this.callbacks.add(report);
    void report.finally(() => this.callbacks.delete(report));
  }

  /** Every call the recorder took so far is in `calls`; answers the recorder's event-loop delay. */
  flush(): Promise<{ p99Ms: number; maxMs: number }> {
    const recorder = this.recorder;
    if (!recorder?.connected) return Promise.resolve({ p99Ms: 0, maxMs: 0 });
    const token = ++this.flushSeq;
    return new Promise((resolve) => {
      this.flushes.set(token, resolve);
      recorder.send({ type: 'flush', token } satisfies RecorderRequest);
    });
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

  /** Waits until every call the recorder took is recorded here, and for the delivery reports still in flight. */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all([...this.callbacks]);
  }

  /** Stops the recorder; answers its event-loop delay over the run (the clock of the rate column). */
  async stop(): Promise<{ p99Ms: number; maxMs: number }> {
    await this.drain();
    const recorder = this.recorder;
    if (!recorder) return { p99Ms: 0, maxMs: 0 };
    const loop = await this.flush();
    this.recorder = null;
    const exited = once(recorder, 'exit');
    if (recorder.connected) recorder.send({ type: 'stop' } satisfies RecorderRequest);
    await Promise.race([exited, sleep(5_000).then(() => recorder.kill('SIGKILL'))]);
    return loop;
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
