import { TestHub, TestWorkspace } from '../utils/test-hub';

const FULL = {
  legalName: 'Acme Incorporated',
  brandName: 'Acme Alerts',
  country: 'US',
  taxId: '12-3456789',
  website: 'https://acme.test',
  privacyUrl: 'https://acme.test/privacy',
  termsUrl: 'https://acme.test/terms',
  contactName: 'Dana Reyes',
  contactEmail: 'dana@acme.test',
  contactPhone: '+14155550100',
};

/** The brand profile sender registration asks for: saved per workspace, checked field by field, changed by admins only. */
describe('brand profile (GET/PUT /v1/brand-profile)', () => {
  let hub: TestHub;
  let acme: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    hub = await TestHub.start();
    acme = await hub.createWorkspace();
    other = await hub.createWorkspace({ name: 'Other', brandName: 'Other Co' });
  });
  afterAll(() => hub.close());

  const get = async (ws: TestWorkspace) => hub.http().get('/v1/brand-profile').set('Authorization', await ws.auth());
  const put = async (ws: TestWorkspace, body: object, role: 'admin' | 'marketing' = 'admin') =>
    hub.http().put('/v1/brand-profile').set('Authorization', await ws.auth(role)).send(body);

  it('starts empty, listing every field as missing, and says URLs are not checked for reachability', async () => {
    const res = await get(acme);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ legalName: null, taxId: null, urlReachability: 'not_checked', updatedAt: null });
    expect(res.body.missing).toEqual(Object.keys(FULL));
  });

  it('saves a complete profile, which the next read returns with nothing missing; another workspace still sees its own (empty) one', async () => {
    const saved = await put(acme, FULL);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...FULL, missing: [], urlReachability: 'not_checked', updatedAt: expect.any(String) });
    expect((await get(acme)).body).toMatchObject({ ...FULL, missing: [] });
    const foreign = await get(other);
    expect(foreign.body).toMatchObject({ legalName: null, brandName: null, taxId: null });
  });

  it('PUT replaces the whole profile: a field left out is cleared and listed as missing', async () => {
    const { termsUrl: _dropped, ...rest } = FULL;
    const res = await put(acme, rest);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ termsUrl: null, missing: ['termsUrl'] });
    await put(acme, FULL);
  });

  it.each([
    ['US', '123456789', /NN-NNNNNNN/],
    ['CA', '12345678', /9 digits/],
    ['GB', 'ABC12', /company number/],
  ])('refuses a %s tax id of the wrong shape (%s) with a 422 naming taxId', async (country, taxId, expected) => {
    const res = await put(acme, { ...FULL, country, taxId });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'invalid_tax_id', details: [{ field: 'taxId', message: expect.stringMatching(expected) }] });
    expect((await get(acme)).body.taxId).toBe(FULL.taxId);
  });

  it.each([
    ['CA', '123456789'],
    ['GB', '01234567'],
    ['GB', 'SC123456'],
    ['GB', 'GB123456789'],
    ['DE', 'DE 123 456 789'],
  ])('accepts a %s tax id of the right shape (%s), and free text for countries without a known shape', async (country, taxId) => {
    const res = await put(other, { ...FULL, country, taxId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ country, taxId });
  });

  it('refuses http, bare-domain and malformed links, a bad email and phone, naming each field', async () => {
    const res = await put(acme, { ...FULL, website: 'http://acme.test', privacyUrl: 'acme.test/privacy', termsUrl: 'not a url', contactEmail: 'dana@', contactPhone: '555-0100', country: 'USA' });
    expect(res.status).toBe(400);
    const fields = (res.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['contactEmail', 'contactPhone', 'country', 'privacyUrl', 'termsUrl', 'website']);
    expect(res.body.message).toMatch(/website must be an https:\/\/ URL/);
    expect((await get(acme)).body.website).toBe(FULL.website);
  });

  it('only a role with settings:write may change it; others may read it', async () => {
    const res = await put(acme, { ...FULL, brandName: 'Hijacked' }, 'marketing');
    expect(res.status).toBe(403);
    const read = await hub.http().get('/v1/brand-profile').set('Authorization', await acme.auth('marketing'));
    expect(read.status).toBe(200);
    expect(read.body.brandName).toBe('Acme Alerts');
    expect((await hub.http().get('/v1/brand-profile')).status).toBe(401);
  });
});
