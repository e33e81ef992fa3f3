/**
 * The n8n peer (issue 25): n8n 2.8.4 installed from the npm registry into a scratch folder outside
 * the repository (~/.cache/optline-bench/n8n, or BENCH_N8N_DIR), none of its code committed. Its
 * xlsx dependency points at a tarball on a CDN the machine cannot reach; an npm `overrides` entry
 * swaps it for the registry's xlsx 0.18.5. The install takes minutes (≈ 2,000 packages), so
 * `--quick` never installs it: the peer runs in --quick only when already installed.
 *
 * The workflow does the hub's pipeline job: a webhook receives the same checkout payload and an
 * HTTP Request node POSTs one text to the same local fake SMS provider.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunningProcess, startProcess } from './processes';

export const N8N_VERSION = '2.8.4';
export const N8N_DIR = process.env.BENCH_N8N_DIR ?? join(homedir(), '.cache', 'optline-bench', 'n8n');
const BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export function n8nInstalled(): boolean {
  return existsSync(BIN);
}

/** npm install of the pinned n8n into the scratch folder (minutes; prints npm's output). */
export function installN8n(log: (line: string) => void): void {
  mkdirSync(N8N_DIR, { recursive: true });
  writeFileSync(
    join(N8N_DIR, 'package.json'),
    `${JSON.stringify({ name: 'optline-bench-n8n', private: true, dependencies: { n8n: N8N_VERSION }, overrides: { xlsx: '0.18.5' } }, null, 2)}\n`,
  );
  log(`peer: installing n8n ${N8N_VERSION} into ${N8N_DIR} (several minutes, once)`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: N8N_DIR, stdio: 'inherit' });
}

const WORKFLOW_ID = 'optlineBench0001';
export const N8N_WEBHOOK_PATH = 'optline-bench-checkout';

/**
 * Webhook (POST, answers at once like Shopify expects) → HTTP Request: one JSON POST per checkout
 * to the fake provider with the customer's phone and the same text the hub's flow sends.
 */
function workflow(providerUrl: string): Record<string, unknown> {
  return {
    id: WORKFLOW_ID,
    name: 'Optline bench: checkout → SMS',
    active: false,
    settings: { executionOrder: 'v1' },
    connections: { 'Checkout webhook': { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
    nodes: [
      {
        id: 'b0a1c2d3-0000-4000-8000-000000000001',
        name: 'Checkout webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        position: [0, 0],
        webhookId: 'b0a1c2d3-0000-4000-8000-0000000000aa',
        parameters: { httpMethod: 'POST', path: N8N_WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
      },
      {
        id: 'b0a1c2d3-0000-4000-8000-000000000002',
        name: 'Send SMS',
        type: 'n8n-nodes-base.httpRequest',
        typeVersion: 4.2,
        position: [300, 0],
        parameters: {
          method: 'POST',
          url: providerUrl,
          sendBody: true,
          specifyBody: 'json',
          jsonBody: '={{ JSON.stringify({ to: $json.body.phone || $json.body.customer.phone, body: "Bench: we saved your cart. Reply STOP to opt out.", reference: $json.body.token }) }}',
          options: {},
        },
      },
    ],
    pinData: {},
  };
}

export interface N8nPeer extends RunningProcess {
  webhookUrl: string;
}

/** A fresh n8n user folder (SQLite) with the workflow imported and published, then `n8n start`. */
export async function startN8n(port: number, providerUrl: string): Promise<N8nPeer> {
  const home = join(N8N_DIR, `home-${port}`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const env = {
    N8N_USER_FOLDER: home,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_LOG_LEVEL: 'warn',
    // The task runners' broker listens on 5679 by default; keep it beside our port.
    N8N_RUNNERS_BROKER_PORT: String(port + 1),
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    DB_SQLITE_POOL_SIZE: '2',
  };
  const file = join(home, 'workflow.json');
  writeFileSync(file, JSON.stringify([workflow(providerUrl)]));
  const cli = (args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, cwd: N8N_DIR, maxBuffer: 1 << 22 });
  await cli(['import:workflow', `--input=${file}`]);
  await cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
  const n8n = await startProcess([BIN, 'start'], env, `http://127.0.0.1:${port}/healthz`, 'n8n', 180_000);
  return {
    ...n8n,
    webhookUrl: `http://127.0.0.1:${port}/webhook/${N8N_WEBHOOK_PATH}`,
    async stop() {
      await n8n.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
