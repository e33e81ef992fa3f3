import { ConsentService } from '@optline/consent';
import { ContactService } from '@optline/contacts';
import { LinkDomainProbe } from '@optline/messaging';
import type { AddressInfo } from 'node:net';
import { TestHub, TestWorkspace } from '../utils/test-hub';

const DOMAIN = 'go.harbor-dental.example';

describe('Branded link domains: a workspace writes its links on its own domain, and only its links resolve there', () => {
  let hub: TestHub;
  let port: number;

  beforeAll(async () => {
    hub = await TestHub.start();
    hub.manualClock.set('2026-11-24T17:00:00Z');
    // The check asks the domain over the network; here "DNS" points every domain at this hub.
    await hub.app.listen(0, '127.0.0.1');
    port = (hub.app.getHttpServer().address() as AddressInfo).port;
    hub.get(LinkDomainProbe).connectTo({ protocol: 'http:', host: '127.0.0.1', port });
  });
  afterAll(() => hub?.close());

  async function optedIn(ws: TestWorkspace, phone: string): Promise<void> {
    const { contact } = await hub.get(ContactService).upsertByPhone(ws.id, { phone });
    await hub.get(ConsentService).record(ws.id, { contactId: contact.id, types: 'all', state: 'opted_in', source: 'web_form', evidence: { form: 'test' } });
  }

  /** Sends a text with a link; answers the short link it was given. */
  async function linkSent(ws: TestWorkspace, phone: string, key: string): Promise<URL> {
    await optedIn(ws, phone);
    const res = await hub
      .http()
      .post('/v1/messages')
      .set('Authorization', await ws.auth('marketing'))
      .set('Idempotency-Key', key)
      .send({ to: phone, type: 'marketing', template: 'Book your cleaning: {{ url | link }}', data: { url: 'https://harbor-dental.example/book' } })
      .expect(202);
    const match = /https?:\/\/\S+\/l\/[A-Za-z0-9]+/.exec(res.body.body);
    expect(match).not.toBeNull();
    return new URL(match![0]);
  }

  it('shows the DNS record, refuses to verify a domain that does not reach the hub, then verifies it and writes links on it', async () => {
    const ws = await hub.createWorkspace();
    const admin = await ws.auth();
    expect((await hub.http().get('/v1/link-domain').set('Authorization', admin).expect(200)).body).toMatchObject({ domain: null, verified: false, fallbackBaseUrl: 'https://hub.optline.test', dns: null });

    const set = await hub.http().put('/v1/link-domain').set('Authorization', admin).send({ domain: ' Go.Harbor-Dental.example ' }).expect(200);
    expect(set.body).toMatchObject({
      domain: DOMAIN,
      verified: false,
      dns: { type: 'CNAME', name: DOMAIN, value: 'hub.optline.test' },
      verificationUrl: `https://${DOMAIN}/.well-known/optline-link-domain`,
      verificationToken: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
    });
    // Not verified yet: links still use PUBLIC_URL.
    expect((await linkSent(ws, '+13125550140', 'ld-1')).origin).toBe('https://hub.optline.test');

    // The domain points elsewhere: the check says so and nothing changes.
    hub.get(LinkDomainProbe).connectTo({ protocol: 'http:', host: '127.0.0.1', port: 9 });
    const failed = await hub.http().post('/v1/link-domain/verify').set('Authorization', admin).expect(200);
    expect(failed.body).toMatchObject({ verified: false, checkedAt: expect.any(String), checkError: expect.stringContaining('could not be reached') });

    hub.get(LinkDomainProbe).connectTo({ protocol: 'http:', host: '127.0.0.1', port });
    const verified = await hub.http().post('/v1/link-domain/verify').set('Authorization', admin).expect(200);
    expect(verified.body).toMatchObject({ verified: true, verifiedAt: expect.any(String), checkError: null });

    const link = await linkSent(ws, '+13125550141', 'ld-2');
    expect(link.origin).toBe(`https://${DOMAIN}`);
    const followed = await hub.http().get(link.pathname).set('Host', DOMAIN).expect(302);
    expect(followed.headers.location).toBe('https://harbor-dental.example/book');
  });

  it("on a workspace's domain only its links resolve; another workspace cannot take the domain; bad names are 422", async () => {
    const owner = await hub.createWorkspace();
    const other = await hub.createWorkspace();
    const domain = 'links.bright-smiles.example';
    await hub.http().put('/v1/link-domain').set('Authorization', await owner.auth()).send({ domain }).expect(200);
    await hub.http().post('/v1/link-domain/verify').set('Authorization', await owner.auth()).expect(200);

    const taken = await hub.http().put('/v1/link-domain').set('Authorization', await other.auth()).send({ domain: domain.toUpperCase() }).expect(409);
    expect(taken.body.code).toBe('link_domain_taken');
    for (const bad of ['https://links.example.com', 'links.example.com/path', 'localhost', 'links.example.com:8443', 'hub.optline.test']) {
      const res = await hub.http().put('/v1/link-domain').set('Authorization', await other.auth()).send({ domain: bad }).expect(422);
      expect(res.body.details[0].field).toBe('domain');
    }
    const missing = await hub.http().put('/v1/link-domain').set('Authorization', await other.auth()).send({}).expect(400);
    expect(missing.body.details[0].field).toBe('domain');

    const ownLink = await linkSent(owner, '+13125550150', 'ld-3');
    const otherLink = await linkSent(other, '+13125550151', 'ld-4');
    expect(otherLink.origin).toBe('https://hub.optline.test');
    // The other workspace's code on the owner's domain is unknown there; on the hub's own address it works.
    await hub.http().get(otherLink.pathname).set('Host', domain).expect(404);
    await hub.http().get(otherLink.pathname).expect(302);
    await hub.http().get(ownLink.pathname).set('Host', domain).expect(302);

    // The verification path answers the token of the domain named by Host, and nothing for other hosts.
    const token = (await hub.http().get('/v1/link-domain').set('Authorization', await owner.auth()).expect(200)).body.verificationToken;
    const answered = await hub.http().get('/.well-known/optline-link-domain').set('Host', domain).expect(200);
    expect(answered.text).toBe(token);
    await hub.http().get('/.well-known/optline-link-domain').set('Host', 'unknown.example').expect(404);

    // A role without settings:write may not change it.
    await hub.http().put('/v1/link-domain').set('Authorization', await owner.auth('support')).send({ domain: 'x.example.com' }).expect(403);

    // Removing it: new links use PUBLIC_URL again, and the domain is free for another workspace.
    await hub.http().delete('/v1/link-domain').set('Authorization', await owner.auth()).expect(200);
    expect((await linkSent(owner, '+13125550152', 'ld-5')).origin).toBe('https://hub.optline.test');
    await hub.http().put('/v1/link-domain').set('Authorization', await other.auth()).send({ domain }).expect(200);
  });
});
