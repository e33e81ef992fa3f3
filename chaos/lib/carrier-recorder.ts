/**
 * The carrier's receiving end, in a process of its own (decision 0264): it checks each text's
 * signature, stamps its arrival, answers `200 { id }` and tells the suite over IPC. Nothing else
 * runs on its event loop, so an arrival time is when the hub's call came, not when the suite
 * (setting up the next campaign, posting webhooks, measuring) next got round to reading it.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sign } from './carrier-signature';

/** What the recorder tells the suite. */
export type RecorderMessage =
  | { type: 'listening'; port: number }
  | { type: 'call'; id: string; call: { label: string; messageId: string; to: string; body: string; at: number }; statusCallbackUrl: string | null }
  | { type: 'bad-signature' }
  | { type: 'flushed'; token: number; loop: { p99Ms: number; maxMs: number } };

/** What the suite asks of it. */
export type RecorderRequest = { type: 'flush'; token: number } | { type: 'stop' };

const tell = (message: RecorderMessage) => process.send!(message);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let seq = 0;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString();
  const label = /^\/carrier\/([\w-]+)$/.exec(req.url ?? '')?.[1];
  if (!label || req.method !== 'POST') {
    res.writeHead(404).end();
    return;
  }
  if (req.headers['x-optline-signature'] !== sign(Number(req.headers['x-optline-timestamp']), raw)) {
    tell({ type: 'bad-signature' });
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'unauthorized', message: 'bad signature' }));
    return;
  }
  const sms = JSON.parse(raw) as { messageId: string; to: string; body: string; statusCallbackUrl?: string };
  const id = `carrier-${++seq}`;
  tell({ type: 'call', id, call: { label, messageId: sms.messageId, to: sms.to, body: sms.body, at }, statusCallbackUrl: sms.statusCallbackUrl ?? null });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
}

const server = createServer({ keepAlive: true }, (req, res) => void handle(req, res));
server.listen(0, '127.0.0.1', () => tell({ type: 'listening', port: (server.address() as { port: number }).port }));
process.on('message', (request: RecorderRequest) => {
  if (request.type === 'flush') {
    // IPC keeps order: every call told before this answer has reached the suite when it reads it.
    tell({ type: 'flushed', token: request.token, loop: { p99Ms: Math.round(loop.percentile(99) / 1e6), maxMs: Math.round(loop.max / 1e6) } });
  } else {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
