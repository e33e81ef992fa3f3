import { parse } from 'csv-parse/sync';
import type { TestWorkspace } from '../test-hub';
import { pollUntil } from '../wait';

/** A valid, distinct US number per call (555-01xx is reserved for fiction; the exchange varies). */
let counter = 0;
export function uniquePhone(areaCode = 415): string {
  counter += 1;
  const exchange = 200 + Math.floor(counter / 10000);
  return `+1${areaCode}${exchange}${String(counter % 10000).padStart(4, '0')}`;
}

/** Creates (or merges into) a contact through the API and returns the answer's body. */
export async function createContact(ws: TestWorkspace, body: Record<string, unknown> = {}): Promise<{ id: string; phone: string } & Record<string, unknown>> {
  const res = await ws.hub
    .http()
    .post('/v1/contacts')
    .set('Authorization', await ws.auth('admin'))
    .send({ phone: uniquePhone(), ...body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`contact not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

type Role = 'admin' | 'marketing' | 'support' | 'operations';

/** Records a consent change through the API as the given role; fails unless the answer has `status`. */
export async function recordConsent(ws: TestWorkspace, contactId: string, body: Record<string, unknown>, role: Role = 'admin', status = 201) {
  return ws.hub
    .http()
    .post(`/v1/contacts/${contactId}/consent`)
    .set('Authorization', await ws.auth(role))
    .send({ evidence: { text: 'Signed the paper form at the counter' }, ...body })
    .expect(status);
}

/** GET as a role of the workspace; fails unless the answer has `status`. */
export async function getAs(ws: TestWorkspace, path: string, role: Role = 'admin', status = 200) {
  return ws.hub.http().get(path).set('Authorization', await ws.auth(role)).expect(status);
}

/** Uploads a CSV import and waits until its job finished; returns the final import view. */
export async function importCsv(ws: TestWorkspace, csv: string, query: Record<string, string> = {}, timeoutMs = 30_000) {
  const started = await ws.hub
    .http()
    .post('/v1/contacts/import')
    .query(query)
    .set('Authorization', await ws.auth('admin'))
    .set('Content-Type', 'text/csv')
    .send(csv);
  if (started.status !== 202) throw new Error(`import not accepted: ${started.status} ${JSON.stringify(started.body)}`);
  const auth = await ws.auth('admin');
  const done = await pollUntil(
    async () => (await ws.hub.http().get(`/v1/imports/${started.body.id}`).set('Authorization', auth)).body,
    (body: { status: string }) => body.status === 'completed' || body.status === 'failed',
    timeoutMs,
    'import completion',
  );
  return done as { id: string; status: string; rowsRead: number; created: number; updated: number; rejected: number; consentSkipped: number; error: string | null };
}

/** Parses a CSV answer into records. */
export function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}
