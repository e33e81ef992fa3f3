import { HubspotClientFactory } from '@optline/plugin-hubspot';
import { HubspotCrmService } from '../../plugins/hubspot/src/crm/hubspot-crm.service';
import { FakeHubspotCrm } from '../fakes/hubspot-crm.fake';

/**
 * The plugin's CRM calls, made by the real @hubspot/api-client against the local fake: proves the
 * paths and JSON the client uses are the ones the fake (and HubSpot) speak.
 */
describe('HubSpot CRM calls through @hubspot/api-client', () => {
  let crm: FakeHubspotCrm;
  let service: HubspotCrmService;
  const later = () => Date.now() + 5000;

  beforeAll(async () => {
    crm = await FakeHubspotCrm.start();
    const factory = new HubspotClientFactory();
    factory.configure({ basePath: crm.url, baseDelayMs: 10 });
    service = new HubspotCrmService(factory);
  });
  afterAll(() => crm.close());
  afterEach(() => crm.clearFailures());

  it('reads one contact by id with the asked properties, and several in one batch call', async () => {
    const one = await service.readContacts(crm.accessToken, ['208114730058'], ['mobilephone', 'phone'], later());
    expect(one.get('208114730058')?.properties).toMatchObject({ mobilephone: '+12125550164', phone: '(212) 555-0178' });
    expect(crm.calls.at(-1)?.query.getAll('properties').join(',')).toBe('mobilephone,phone');

    crm.putContact('9001', { mobilephone: null, phone: '+13105550100' });
    const many = await service.readContacts(crm.accessToken, ['208114730058', '9001', '404404'], ['mobilephone', 'phone'], later());
    expect([...many.keys()].sort()).toEqual(['208114730058', '9001']);
    expect(many.get('9001')?.properties).toMatchObject({ mobilephone: null, phone: '+13105550100' });
    expect(crm.calls.at(-1)).toMatchObject({ method: 'POST', path: '/crm/v3/objects/contacts/batch/read', status: 207 });
  });

  it('treats a contact HubSpot no longer has as absent', async () => {
    expect((await service.readContacts(crm.accessToken, ['404404'], ['phone'], later())).size).toBe(0);
  });

  it('reads deal associations with the single v4 endpoint for one deal and the batch one for several', async () => {
    crm.associate('deals', '777', ['1', '2']);
    const one = await service.associatedContactIds(crm.accessToken, 'deals', ['41226677889'], later());
    expect(one.get('41226677889')).toEqual(['208114730058']);
    const many = await service.associatedContactIds(crm.accessToken, 'deals', ['41226677889', '777', '888'], later());
    expect(Object.fromEntries(many)).toEqual({ '41226677889': ['208114730058'], '777': ['1', '2'], '888': [] });
    expect(crm.calls.at(-1)).toMatchObject({ method: 'POST', path: '/crm/v4/associations/deals/contacts/batch/read' });
  });

  it('PATCHes a contact property', async () => {
    await service.updateContact(crm.accessToken, '208114730058', { optline_sms_opted_out: 'true' }, later());
    expect(crm.contact('208114730058')?.properties.optline_sms_opted_out).toBe('true');
    expect(crm.calls.at(-1)).toMatchObject({ method: 'PATCH', path: '/crm/v3/objects/contacts/208114730058', body: { properties: { optline_sms_opted_out: 'true' } } });
  });

  it('retries HubSpot’s 429 (fixture body) and surfaces a 401 at once', async () => {
    crm.failNext(3);
    const before = crm.calls.length;
    await service.readContacts(crm.accessToken, ['208114730058'], ['phone'], later());
    expect(crm.calls.slice(before).map((c) => c.status)).toEqual([429, 429, 429, 200]);

    await expect(service.readContacts('pat-wrong-token', ['208114730058'], ['phone'], later())).rejects.toMatchObject({ code: 401 });
  });
});
