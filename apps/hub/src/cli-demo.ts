import { ApiKeyService, AuditTrail, prepareDatabase, WorkspaceService } from '@optline/core';
import { InboundSmsService } from '@optline/messaging';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createHubApp } from './bootstrap';
import { cliConfig } from './cli-context';
import { UsageError } from './cli-support';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The group that holds the demo's people; its presence means the demo already ran here. */
export const DEMO_GROUP = 'Demo contacts';

/** Thrown when the workspace already has the demo: nothing is changed. */
export class DemoAlreadyThere extends Error {}

/** Fictional people (555-01xx numbers are reserved for fiction), in four US zones. */
const PEOPLE = [
  { phone: '+14155550141', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', consent: 'opted_in', attributes: { tier: 'gold', favoriteStore: 'Mission' } },
  { phone: '+14155550142', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', consent: 'opted_in', attributes: { tier: 'silver' } },
  { phone: '+13125550143', firstName: 'Katherine', lastName: 'Johnson', email: 'katherine@example.com', consent: 'opted_in', attributes: { tier: 'gold' } },
  { phone: '+13125550144', firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com', consent: 'opted_in', attributes: {} },
  { phone: '+12125550145', firstName: 'Margaret', lastName: 'Hamilton', email: 'margaret@example.com', consent: 'opted_in', attributes: { tier: 'bronze' } },
  { phone: '+12125550146', firstName: 'Dennis', lastName: 'Ritchie', email: 'dennis@example.com', consent: 'opted_in', attributes: {} },
  { phone: '+13035550147', firstName: 'Barbara', lastName: 'Liskov', email: 'barbara@example.com', consent: 'pending', attributes: {} },
  { phone: '+13035550148', firstName: 'Ken', lastName: 'Thompson', email: 'ken@example.com', consent: 'opted_out', attributes: {} },
  { phone: '+14155550149', firstName: 'Frances', lastName: 'Allen', email: 'frances@example.com', consent: 'opted_out', attributes: {} },
  { phone: '+12125550150', firstName: 'Edsger', lastName: 'Dijkstra', email: null, consent: 'none', attributes: {} },
] as const;

/** People who sign up through the demo's web form (events, and the double opt-in flow's runs). */
const SIGN_UPS = [
  { phone: '(415) 555-0151', firstName: 'Hedy', email: 'hedy@example.com' },
  { phone: '(312) 555-0152', firstName: 'Radia', email: 'radia@example.com' },
  { phone: '(212) 555-0153', firstName: 'Tim', email: null },
];

const FLOW_TEMPLATES = ['welcome-series', 'birthday', 'win-back'];

export interface DemoSummary {
  workspaceId: string;
  workspaceName: string;
  contacts: number;
  signUps: number;
  flows: { name: string; status: string }[];
  messages: { to: string; type: string; status: string }[];
  inbound: number;
}

/** One call of the hub's API, with the demo's temporary admin key; a refusal names the route. */
type Api = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

function apiOn(base: string, key: string): Api {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`demo: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as never;
  };
}

/** The workspace named by --workspace, or the only one there is. */
async function chooseWorkspace(dataSource: DataSource, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  const rows: { id: string }[] = await dataSource.query('SELECT id FROM workspace ORDER BY created_at LIMIT 2');
  if (rows.length === 1) return rows[0].id;
  throw new UsageError(
    rows.length === 0
      ? '--workspace: there is no workspace yet; open the console to set one up, or: npm run optline -- workspace create --name "Demo"'
      : '--workspace is required: there are several workspaces (see `workspace list`)',
  );
}

/**
 * `demo`: fills a workspace through the hub's own API (an in-process hub on a loopback port, with
 * a temporary admin key revoked at the end), so everything is validated, recorded and announced as
 * a user's actions are. Texts are queued like any other: a running hub's workers send them.
 */
export async function demo(args: string[], operator: string): Promise<void> {
  const { values } = parseArgs({ args, options: { workspace: { type: 'string' }, json: { type: 'boolean' } } });
  if (values.workspace !== undefined && !UUID.test(values.workspace)) throw new UsageError(`--workspace: "${values.workspace}" is not a workspace id (a UUID; see \`workspace list\`)`);
  // The console's address as the operator's hub serves it (this in-process hub listens elsewhere).
  const publicUrl = cliConfig().publicUrl;
  const config = cliConfig({ HUB_ROLE: 'api', PORT: '0' });
  await prepareDatabase(config.DATABASE_URL);
  const app = await createHubApp({ config });
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const workspaceId = await chooseWorkspace(app.get(DataSource), values.workspace);
    const workspace = await app.get(WorkspaceService).get(workspaceId);
    const keys = app.get(ApiKeyService);
    const { apiKey, secret } = await keys.issue(workspace.id, 'optline demo (temporary)', 'admin');
    await app.get(AuditTrail).record(workspace.id, operator, 'api_key.created', apiKey.id, { role: 'admin', purpose: 'demo' });
    try {
      const summary = await fill(apiOn(`http://127.0.0.1:${port}`, secret), app.get(InboundSmsService), workspace.id, workspace.name);
      report(summary, publicUrl, values.json ?? false);
    } finally {
      await keys.revoke(workspace.id, apiKey.id);
    }
  } finally {
    await app.close();
  }
}

async function fill(api: Api, inbound: InboundSmsService, workspaceId: string, workspaceName: string): Promise<DemoSummary> {
  const groups = await api<{ data: { name: string }[] }>('GET', '/v1/groups');
  if (groups.data.some((g) => g.name === DEMO_GROUP)) {
    throw new DemoAlreadyThere(
      `Workspace "${workspaceName}" already has the demo (its group "${DEMO_GROUP}"); nothing was changed. ` +
        'For a fresh one: npm run optline -- workspace create --name "Demo", then demo --workspace <its id>.',
    );
  }
  const group = await api<{ id: string }>('POST', '/v1/groups', { name: DEMO_GROUP, description: 'People made by `npm run optline -- demo`' });
  try {
    return await fillGroup(api, inbound, workspaceId, workspaceName, group.id);
  } catch (error) {
    // Without its group the demo may be run again (what was made stays; contacts are upserted).
    await api('DELETE', `/v1/groups/${group.id}`).catch(() => undefined);
    throw error;
  }
}

async function fillGroup(api: Api, inbound: InboundSmsService, workspaceId: string, workspaceName: string, groupId: string): Promise<DemoSummary> {

  const current = await fetchCurrentDisclosure(api);
  const disclosure =
    current ??
    (await api<{ id: string }>('POST', '/v1/disclosures', {
      text: `By checking this box you agree to receive recurring automated marketing texts from ${workspaceName} at this number. Consent is not a condition of purchase. Msg frequency varies. Msg & data rates may apply. Reply STOP to cancel, HELP for help.`,
    }));

  // People and their consent, as a sign-up sheet and a support call would record it.
  const ids = new Map<string, string>();
  for (const person of PEOPLE) {
    const contact = await api<{ id: string }>('POST', '/v1/contacts', {
      phone: person.phone,
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      attributes: { ...person.attributes, demo: true },
    });
    ids.set(person.phone, contact.id);
    if (person.consent === 'none') continue;
    const optedIn = {
      types: ['marketing', 'transactional', 'conversational'],
      state: 'opted_in',
      source: 'web_form',
      disclosureId: disclosure.id,
      evidence: { text: 'Ticked the SMS box on the in-store sign-up tablet (demo data)', form: 'in-store sign-up' },
    };
    await api('POST', `/v1/contacts/${contact.id}/consent`, person.consent === 'pending' ? { ...optedIn, state: 'pending' } : optedIn);
    if (person.consent === 'opted_out') {
      await api('POST', `/v1/contacts/${contact.id}/consent`, { types: 'all', state: 'opted_out', source: 'agent', evidence: { text: 'Asked on the phone not to be texted (demo data)' } });
    }
  }
  await api('POST', `/v1/groups/${groupId}/members`, { contactIds: [...ids.values()] });

  // Flows from the built-in templates, activated where the template allows.
  const flows: DemoSummary['flows'] = [];
  const existing = await api<{ data: { id: string; name: string; status: string; templateKey: string | null }[] }>('GET', '/v1/flows');
  for (const templateKey of FLOW_TEMPLATES) {
    // A flow already made from the template (a demo stopped half-way, or the team's own) is kept.
    const flow = existing.data.find((f) => f.templateKey === templateKey && f.status !== 'archived') ?? (await api<{ id: string; name: string; status: string }>('POST', '/v1/flows/from-template', { templateKey }));
    if (flow.status === 'active' || flow.status === 'paused') {
      flows.push({ name: flow.name, status: flow.status });
      continue;
    }
    try {
      await api('POST', `/v1/flows/${flow.id}/activate`);
      flows.push({ name: flow.name, status: 'active' });
    } catch {
      flows.push({ name: flow.name, status: 'draft' });
    }
  }

  // A hosted web form: enabling it activates the double opt-in flow; sign-ups are its events.
  await api('PUT', '/v1/plugins/web-forms', {
    config: {
      forms: [
        {
          key: 'demo-sign-up',
          title: 'Texts from ' + workspaceName,
          intro: 'Offers and order updates, straight to your phone.',
          fields: [
            { name: 'firstName', label: 'First name', required: true },
            { name: 'email', label: 'Email', type: 'email' },
          ],
          consentTypes: ['marketing'],
          // Placeholders an admin replaces in Plugins → Web forms (the form page links to them).
          termsUrl: 'https://example.com/sms-terms',
          privacyUrl: 'https://example.com/privacy',
          successText: 'Thanks! Reply YES to the text we just sent to confirm.',
          allowedOrigins: ['https://example.com'],
        },
      ],
    },
  });
  await api('POST', '/v1/plugins/web-forms/enable');
  const forms = await api<{ data: { formId: string }[] }>('GET', '/v1/forms');
  for (const [i, person] of SIGN_UPS.entries()) {
    await api('POST', `/v1/forms/${forms.data[0].formId}/submissions`, {
      phone: person.phone,
      consent: true,
      submissionId: `demo-sign-up-${i}`,
      fields: { firstName: person.firstName, ...(person.email && { email: person.email }) },
    });
  }

  // Texts: offers to people who opted in, an order update, and one the consent rules block.
  const messages: DemoSummary['messages'] = [];
  const send = async (to: string, type: string, body: string, key: string) => {
    const message = await api<{ status: string }>('POST', '/v1/messages', { to, type, body }, { 'Idempotency-Key': `demo-${key}` });
    messages.push({ to, type, status: message.status });
  };
  await send('+14155550141', 'marketing', 'Hi Ada, the spring collection is in: 15% off this week with code SPRING.', 'offer-ada');
  await send('+13125550143', 'marketing', 'Katherine, your gold tier perk: free shipping on everything until Sunday.', 'offer-katherine');
  await send('+12125550145', 'transactional', 'Your order 1042 has shipped. Track it at the link in your email.', 'order-margaret');
  await send('+13035550148', 'marketing', 'Ken, the spring collection is in!', 'offer-ken');

  // Texts from clients: a question for the inbox, and a STOP the hub honours at once.
  await inbound.receive(workspaceId, { provider: 'http', providerMessageId: 'demo-inbound-1', from: '+14155550142', to: null, body: 'Do you have the blue jacket in a medium?' });
  await inbound.receive(workspaceId, { provider: 'http', providerMessageId: 'demo-inbound-2', from: '+12125550146', to: null, body: 'Is the Mission store open on Sunday?' });
  await inbound.receive(workspaceId, { provider: 'http', providerMessageId: 'demo-inbound-3', from: '+13125550144', to: null, body: 'STOP' });

  return { workspaceId, workspaceName, contacts: PEOPLE.length, signUps: SIGN_UPS.length, flows, messages, inbound: 3 };
}

async function fetchCurrentDisclosure(api: Api): Promise<{ id: string } | null> {
  try {
    return await api<{ id: string }>('GET', '/v1/disclosures/current');
  } catch (error) {
    if ((error as Error).message.includes(' answered 404')) return null;
    throw error;
  }
}

function report(summary: DemoSummary, publicUrl: string, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const lines = [
    `Demo data added to workspace "${summary.workspaceName}" (${summary.workspaceId}):`,
    `  ${summary.contacts} contacts in the group "${DEMO_GROUP}", with consent (opted in to every type, pending, opted out) and its evidence`,
    `  ${summary.signUps} sign-ups through the web form "demo-sign-up" (events; the double opt-in flow asks each for YES)`,
    `  flows: ${summary.flows.map((f) => `${f.name} (${f.status})`).join(', ')}`,
    `  ${summary.messages.length} texts: ${summary.messages.map((m) => `${m.type} to ${m.to} ${m.status}`).join('; ')} (the last is blocked when sent: that person opted out)`,
    `  ${summary.inbound} texts from clients in the inbox (one is a STOP)`,
    `Open ${publicUrl}/ to look around. Queued texts are sent by a running hub (npm start); with SMS_PROVIDER=console they are printed in its log.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
