/**
 * One scenario's workspace, set up through the hub's HTTP API like a customer would: the `http`
 * provider pointed at the local carrier with a sender rate, N opted-in contacts imported from a
 * CSV, a group of them and an active one-step marketing flow. Enrolling the group is the campaign.
 */
import { Pool } from 'pg';
import { HubClient, middayZone, phoneOf } from '../../bench/lib/hub';
import { Carrier, SIGNING_SECRET, WebhookResult } from './carrier';
import { ROOT_TOKEN } from './fleet';

export interface CampaignWorkspace {
  label: string;
  id: string;
  token: string;
  flowId: string;
  groupId: string;
  /** Contact ids by phone, all opted in to marketing when the campaign starts. */
  contacts: Map<string, string>;
  phones: string[];
  rate: number;
}

/** Retries an API call a few times: setup may follow a fault (a pool reconnecting after a Postgres restart). */
async function retrying<T>(what: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 5) throw new Error(`${what}: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

function* contactsCsv(phones: string[], zone: string): Generator<string> {
  yield 'phone,first_name,consent,consent_timestamp,time_zone\n';
  for (let i = 0; i < phones.length; i += 2000) {
    yield phones
      .slice(i, i + 2000)
      .map((p, k) => `${p},Chaos${i + k},opted_in,2025-06-01T12:00:00Z,${zone}\n`)
      .join('');
  }
}

export async function setUpCampaign(hub: HubClient, sql: Pool, carrier: Carrier, label: string, recipients: number, rate: number): Promise<CampaignWorkspace> {
  const zone = middayZone();
  const created = await retrying('create workspace', () =>
    hub.api<{ workspace: { id: string }; apiKey: { key: string } }>('POST', '/v1/workspaces', ROOT_TOKEN, { name: `Chaos ${label}`, brandName: 'Chaos', defaultCountry: 'US', timeZone: zone }),
  );
  const id = created.workspace.id;
  const token = created.apiKey.key;
  await retrying('sms provider', () =>
    hub.api('PUT', '/v1/sms-provider', token, { kind: 'http', url: carrier.urlFor(label), signingSecret: SIGNING_SECRET, from: phoneOf(9_000_000), messagesPerSecond: rate }),
  );
  const phones = Array.from({ length: recipients }, (_, i) => phoneOf(i));
  const upload = await retrying('import', () => hub.upload<{ id: string }>('/v1/contacts/import?fileName=chaos.csv&consentTypes=marketing', token, contactsCsv(phones, zone)));
  await hub.waitForImport(token, upload.id);
  // Contact ids from SQL (paging GET /v1/contacts would answer the same); membership goes through the API.
  const rows = (await sql.query<{ id: string; phone: string }>('SELECT id, phone FROM contact WHERE workspace_id = $1', [id])).rows;
  if (rows.length !== recipients) throw new Error(`${label}: imported ${rows.length} contacts, expected ${recipients}`);
  const group = await retrying('group', () => hub.api<{ id: string }>('POST', '/v1/groups', token, { name: `Chaos ${label}` }));
  for (let i = 0; i < rows.length; i += 10_000) {
    const ids = rows.slice(i, i + 10_000).map((r) => r.id);
    await retrying('group members', () => hub.api('POST', `/v1/groups/${group.id}/members`, token, { contactIds: ids }));
  }
  const flow = await retrying('flow', () =>
    hub.api<{ id: string }>('POST', '/v1/flows', token, {
      name: `Chaos ${label}`,
      messageType: 'marketing',
      trigger: { events: [] },
      // never: a retried enrolment (after a 5xx) cannot start a second run for anyone.
      reentry: { mode: 'never' },
      steps: [{ id: 'offer', type: 'send', template: '{{ workspace.brandName }}: weekend offer for {{ contact.firstName }}. Reply STOP to opt out.' }],
    }),
  );
  await retrying('activate', () => hub.api('POST', `/v1/flows/${flow.id}/activate`, token));
  return { label, id, token, flowId: flow.id, groupId: group.id, contacts: new Map(rows.map((r) => [r.phone, r.id])), phones, rate };
}

/**
 * The campaign: the whole group enrolled in the active flow, retried as an operator would after
 * a 5xx (the flow enrols each person once, so a retry only adds whom the failed attempt missed).
 * Answers how many runs exist and what each failed attempt said.
 */
export async function enrol(hub: HubClient, sql: Pool, ws: CampaignWorkspace): Promise<{ enrolled: number; errors: string[] }> {
  const errors: string[] = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    const res = await hub.send('POST', `/v1/flows/${ws.flowId}/enroll`, ws.token, { groupId: ws.groupId });
    if (res.status < 300) break;
    errors.push(`${res.status} ${res.text.slice(0, 200)}`);
    if (res.status < 500) break;
    await new Promise((r) => setTimeout(r, 2000 * attempt));
  }
  const runs = await sql.query<{ n: string }>('SELECT count(*) AS n FROM flow_run WHERE workspace_id = $1 AND flow_id = $2', [ws.id, ws.flowId]);
  return { enrolled: Number(runs.rows[0].n), errors };
}

const CHATTER = ['thanks!', 'what time do you close today?', 'is this still on?', 'HELP', 'ok', 'can I bring a friend?'];
const STOPS = ['STOP', 'stop', 'Stop please', 'UNSUBSCRIBE', 'stop all'];

export interface Traffic {
  /** Every STOP sent: the phone, and how the webhook went. */
  stops: { id: string; phone: string; result: WebhookResult }[];
  /** Every other inbound text sent and how it went. */
  chatter: { id: string; phone: string; result: WebhookResult }[];
  done: Promise<void>;
}

/**
 * Inbound texts during the campaign, bounded in count and time: `chatterPerSecond` ordinary
 * replies from random recipients, and STOPs from `stopPhones` in bursts spread over `seconds`.
 * Every text has its own carrier id; a webhook not answered 2xx is retried (another api process).
 */
export function startTraffic(carrier: Carrier, ws: CampaignWorkspace, options: { seconds: number; chatterPerSecond: number; stopPhones: string[]; burst: number }): Traffic {
  const traffic: Traffic = { stops: [], chatter: [], done: Promise.resolve() };
  const inflight: Promise<void>[] = [];
  let seq = 0;
  const chatter = async () => {
    const total = Math.floor(options.seconds * options.chatterPerSecond);
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / options.chatterPerSecond;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const phone = ws.phones[(i * 7919) % ws.phones.length];
      const id = `${ws.label}-in-${++seq}`;
      inflight.push(
        carrier.inbound(ws.id, { id, from: phone, body: CHATTER[i % CHATTER.length] }).then((result) => {
          traffic.chatter.push({ id, phone, result });
        }),
      );
    }
  };
  const stops = async () => {
    const bursts = Math.ceil(options.stopPhones.length / options.burst);
    const started = Date.now();
    for (let b = 0; b < bursts; b++) {
      const due = started + ((b + 0.5) * options.seconds * 1000) / bursts;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      for (const phone of options.stopPhones.slice(b * options.burst, (b + 1) * options.burst)) {
        const id = `${ws.label}-stop-${++seq}`;
        inflight.push(
          carrier.inbound(ws.id, { id, from: phone, body: STOPS[seq % STOPS.length] }).then((result) => {
            traffic.stops.push({ id, phone, result });
          }),
        );
      }
    }
  };
  traffic.done = Promise.all([chatter(), stops()]).then(async () => {
    await Promise.all(inflight);
  });
  return traffic;
}
