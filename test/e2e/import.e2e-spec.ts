import { JobQueue } from '@optline/core';
import { TestHub } from '../utils/test-hub';
import { createContact, getAs, importCsv, parseCsv, recordConsent, uniquePhone } from '../utils/factories/contacts';
import { pollUntil } from '../utils/wait';

describe('contact import and export', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set('2026-11-22T09:00:00.000Z');
  });
  afterAll(() => hub.close());

  it('imports good rows, reports each bad row with its reason, and never resubscribes an opted-out number', async () => {
    const ws = await hub.createWorkspace();
    const existing = await createContact(ws, { firstName: 'Old', email: 'old@example.com' });
    const stopped = await createContact(ws);
    await recordConsent(ws, stopped.id, { types: 'all', state: 'opted_out', source: 'sms_keyword', evidence: { keyword: 'STOP' } }, 'support');
    const p = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    const csv = [
      'Phone,First Name,Last Name,Email,consent,consent_timestamp,consent_source,external_id.shopify,birthday',
      `${p[0]},Ada,Lovelace,ada@example.com,opted_in,2025-03-01T10:00:00Z,web_form,501,1990-12-10`, // line 2: created with opt-in
      `${existing.phone},,Newname,,,,,,`, // 3: updated, nothing lost
      `555-01,Bad,Phone,,,,,,`, // 4: rejected
      `${p[1]},Eve,,not-an-email,,,,,`, // 5: rejected
      `${stopped.phone},Stop,Per,,opted_in,2025-01-01T00:00:00Z,,,`, // 6: imported, consent skipped
      `${p[2]},Bo,,,maybe,,,,`, // 7: rejected
      `,,,,,,,,`, // 8: rejected (empty phone)
      `${p[3]},Cy,,,N,,,,`, // 9: created, no consent
      `${p[0]},Ada,,,,,,,1990-12-11`, // 10: same number again: updated
    ].join('\n');
    const done = await importCsv(ws, csv, { fileName: 'spring.csv', note: 'paper sign-up sheets' });
    expect(done).toMatchObject({ status: 'completed', rowsRead: 9, created: 2, updated: 3, rejected: 4, consentSkipped: 1, error: null });

    const report = await getAs(ws, `/v1/imports/${done.id}/rejected`);
    expect(parseCsv(report.text).map((r) => [r.line, r.outcome, r.reason])).toEqual([
      ['4', 'rejected', 'phone "555-01" is not a valid number'],
      ['5', 'rejected', 'email "not-an-email" is not a valid address'],
      ['6', 'consent_skipped', 'contact imported, but opted_in was not applied to marketing: the number opted out, and an import never resubscribes it'],
      ['7', 'rejected', 'consent "maybe" is not understood (use opted_in, opted_out, pending, or leave empty)'],
      ['8', 'rejected', 'phone is empty'],
    ]);
    expect(parseCsv(report.text)[0]).toMatchObject({ Phone: '555-01', 'First Name': 'Bad' });

    const stoppedConsent = (await getAs(ws, `/v1/contacts/${stopped.id}/consent`)).body;
    expect(stoppedConsent.states.marketing.state).toBe('opted_out');
    expect((await getAs(ws, `/v1/contacts/${stopped.id}`)).body.firstName).toBe('Stop');

    const ada = (await getAs(ws, `/v1/contacts?q=${encodeURIComponent(p[0])}`)).body.data[0];
    expect(ada).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', externalIds: { shopify: '501' }, attributes: { birthday: '1990-12-11' } });
    const adaConsent = (await getAs(ws, `/v1/contacts/${ada.id}/consent`)).body;
    expect(adaConsent.states.marketing.state).toBe('opted_in');
    expect(adaConsent.history[0]).toMatchObject({
      source: 'web_form',
      occurredAt: '2025-03-01T10:00:00.000Z',
      recordedAt: '2026-11-22T09:00:00.000Z',
      evidence: { importId: done.id, line: 2, fileName: 'spring.csv', note: 'paper sign-up sheets' },
      actor: expect.stringMatching(/^api_key:/),
    });
    expect((await getAs(ws, `/v1/contacts/${existing.id}`)).body).toMatchObject({ firstName: 'Old', lastName: 'Newname', email: 'old@example.com' });
    expect((await getAs(ws, '/v1/consent/verify')).body.ok).toBe(true);
  });

  it('does not let a later opt-in in the same file undo an earlier opt-out', async () => {
    const ws = await hub.createWorkspace({ name: 'Same file' });
    const phone = uniquePhone(312);
    const done = await importCsv(ws, `phone,consent,consent_types\n${phone},opted_out,all\n${phone},opted_in,marketing\n`);
    expect(done).toMatchObject({ status: 'completed', created: 1, updated: 1, consentSkipped: 1 });
    const contact = (await getAs(ws, `/v1/contacts?q=${encodeURIComponent(phone)}`)).body.data[0];
    expect((await getAs(ws, `/v1/contacts/${contact.id}/consent`)).body.states.marketing.state).toBe('opted_out');
  });

  it('reads files across batches and applies the consent types chosen at upload', async () => {
    const ws = await hub.createWorkspace({ name: 'Batches' });
    const rows = Array.from({ length: 2500 }, (_, i) => `${uniquePhone(718)},P${i},${i % 10 === 0 ? 'opted_in' : ''}`);
    const done = await importCsv(ws, `phone,first_name,consent\n${rows.join('\n')}\n`, { consentTypes: 'marketing,transactional' });
    expect(done).toMatchObject({ status: 'completed', rowsRead: 2500, created: 2500, updated: 0, rejected: 0 });
    const optedIn = await getAs(ws, '/v1/contacts?consentType=transactional&consentState=opted_in&limit=500');
    expect(optedIn.body.data).toHaveLength(250);
    const verify = (await getAs(ws, '/v1/consent/verify')).body;
    expect(verify).toMatchObject({ ok: true, entries: 500 });
  });

  it('resumes a retried import after its last committed line', async () => {
    const ws = await hub.createWorkspace({ name: 'Resume' });
    const imports = hub.get(JobQueue).queue('contacts.import');
    await imports.pause(true);
    const phones = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    const started = await hub
      .http()
      .post('/v1/contacts/import')
      .set('Authorization', await ws.auth())
      .set('Content-Type', 'text/csv')
      .send(`phone\n${phones.join('\n')}\n`)
      .expect(202);
    // As if a first attempt had committed lines 2-3 and then crashed.
    await hub.dataSource.query(`UPDATE contact_import SET checkpoint_line = 3, rows_read = 2, created = 2 WHERE id = $1`, [started.body.id]);
    await imports.resume(true);
    const done = await pollUntil(
      async () => (await getAs(ws, `/v1/imports/${started.body.id}`)).body,
      (b) => b.status === 'completed',
      20_000,
      'import completion',
    );
    expect(done).toMatchObject({ rowsRead: 4, created: 4 });
    const listed = ((await getAs(ws, '/v1/contacts')).body.data as { phone: string }[]).map((c) => c.phone).sort();
    expect(listed).toEqual([phones[2], phones[3]].sort()); // lines 2-3 were not applied again
  });

  it('fails an import without a phone column, and refuses a body that is not a CSV file', async () => {
    const ws = await hub.createWorkspace({ name: 'Bad files' });
    const failed = await importCsv(ws, 'name,email\nAda,ada@example.com\n');
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringContaining('no phone column') });
    const json = await hub.http().post('/v1/contacts/import').set('Authorization', await ws.auth()).send({ phone: '+14155550100' }).expect(400);
    expect(json.body).toMatchObject({ code: 'csv_body_required', details: [{ field: 'body' }] });
    const empty = await hub.http().post('/v1/contacts/import').set('Authorization', await ws.auth()).set('Content-Type', 'text/csv').send('').expect(422);
    expect(empty.body.code).toBe('empty_import');
    await hub.http().post('/v1/contacts/import').set('Authorization', await ws.auth('support')).set('Content-Type', 'text/csv').send('phone\n').expect(403);
  });

  it("keeps imports to their workspace", async () => {
    const a = await hub.createWorkspace({ name: 'A' });
    const b = await hub.createWorkspace({ name: 'B' });
    const done = await importCsv(a, `phone\n${uniquePhone()}\nbad\n`);
    await getAs(b, `/v1/imports/${done.id}`, 'admin', 404);
    await getAs(b, `/v1/imports/${done.id}/rejected`, 'admin', 404);
    expect((await getAs(b, '/v1/imports')).body.data).toEqual([]);
    expect((await getAs(b, '/v1/contacts')).body.data).toEqual([]);
    expect((await getAs(a, '/v1/imports')).body.data.map((i: { id: string }) => i.id)).toEqual([done.id]);
  });
});
