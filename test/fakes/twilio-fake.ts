import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/** The repository's Twilio fixtures (test/fixtures/twilio), in Twilio's documented webhook and REST shapes. */
export const TWILIO_FIXTURES = resolve(__dirname, '../fixtures/twilio');

export function twilioFixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(resolve(TWILIO_FIXTURES, name), 'utf8')) as T;
}

/** A `.form` fixture (a form-encoded webhook body) as a parameter map. */
export function twilioFixtureForm(name: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(readFileSync(resolve(TWILIO_FIXTURES, name), 'utf8').trim()));
}

/**
 * X-Twilio-Signature as Twilio computes it (Twilio's webhook security documentation): base64(HMAC-SHA1(authToken,
 * url + each parameter's name and value, sorted by name)). Written here independently of the SDK,
 * so the hub's verification is tested against the algorithm, not against itself.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export interface RecordedTwilioSend {
  accountSid: string;
  authorized: boolean;
  params: Record<string, string>;
  sid: string | null;
  /** When the fake received it (machine time). */
  at: number;
}

/** What Lookup v2's line type intelligence says about a number in this fake: a type, or `invalid`. */
export type FakeLineType = 'mobile' | 'landline' | 'fixedVoip' | 'nonFixedVoip' | 'tollFree' | 'invalid';

type Scripted = { status: number; body: Record<string, unknown> };

/**
 * A local stand-in for Twilio's REST API (`POST /2010-04-01/Accounts/{sid}/Messages.json`),
 * speaking its wire format: form-encoded requests with Basic auth, JSON answers shaped like
 * fixtures/twilio/messages-create-201.json, and Twilio's error bodies (21610, 21211...).
 */
export class TwilioFake {
  readonly sends: RecordedTwilioSend[] = [];

  /** Numbers asked of Lookup (`GET /v2/PhoneNumbers/{number}?Fields=line_type_intelligence`), in order. */
  readonly lookups: string[] = [];

  private readonly lineTypes = new Map<string, FakeLineType>();

  /** While set, Lookup answers every request with this HTTP status (Twilio's error body). */
  lookupFailure: number | null = null;

  private readonly scripted = new Map<string, Scripted>();

  private constructor(
    private readonly server: Server,
    readonly accountSid: string,
    private readonly authToken: string,
  ) {}

  static async start(accountSid: string, authToken: string): Promise<TwilioFake> {
    const holder: { fake?: TwilioFake } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    const fake = new TwilioFake(server, accountSid, authToken);
    holder.fake = fake;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next sends to `to` answer with a Twilio error fixture (e.g. error-21610.json). */
  failFor(to: string, fixture: string): void {
    const body = twilioFixtureJson(fixture);
    this.scripted.set(to, { status: Number(body.status ?? 400), body });
  }

  /** The next sends to `to` answer with this HTTP status and body (429, 500...). */
  answerFor(to: string, status: number, body: Record<string, unknown>): void {
    this.scripted.set(to, { status, body });
  }

  /** What Lookup answers for `phone` (every other number is `mobile`). */
  setLineType(phone: string, type: FakeLineType): void {
    this.lineTypes.set(phone, type);
  }

  /** Back to normal answers for `to`. */
  clearScript(to: string): void {
    this.scripted.delete(to);
  }

  sendsTo(to: string): RecordedTwilioSend[] {
    return this.sends.filter((s) => s.params.To === to);
  }

  async close(): Promise<void> {
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    if (req.method === 'GET' && (req.url ?? '').startsWith('/v2/PhoneNumbers/')) return this.lookup(req, res);
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match) return reply(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    const authorized = req.headers.authorization === expected && match[1] === this.accountSid;
    const record: RecordedTwilioSend = { accountSid: match[1], authorized, params, sid: null, at: Date.now() };
    this.sends.push(record);
    if (!authorized) return reply(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    const scripted = this.scripted.get(params.To);
    if (scripted) return reply(scripted.status, scripted.body);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    record.sid = sid;
    const created = twilioFixtureJson('messages-create-201.json');
    reply(201, {
      ...created,
      account_sid: this.accountSid,
      sid,
      to: params.To,
      from: params.From ?? null,
      messaging_service_sid: params.MessagingServiceSid ?? null,
      body: params.Body,
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
    });
  }

  /**
   * Lookup v2 (lookups.twilio.com, reached through the same base URL as the REST API): Basic auth
   * with the account's credentials, answers shaped like fixtures/twilio/lookup-v2-*.json.
   */
  private lookup(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const phone = decodeURIComponent(url.pathname.slice('/v2/PhoneNumbers/'.length));
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return reply(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    this.lookups.push(phone);
    if (this.lookupFailure) return reply(this.lookupFailure, { code: 20500, message: 'Internal Server Error', more_info: 'https://www.twilio.com/docs/errors/20500', status: this.lookupFailure });
    const type = this.lineTypes.get(phone) ?? 'mobile';
    const wantsLineType = (url.searchParams.get('Fields') ?? '').split(',').includes('line_type_intelligence');
    if (type === 'invalid') return reply(200, { ...twilioFixtureJson<Record<string, unknown>>('lookup-v2-invalid.json'), phone_number: phone, url: `https://lookups.twilio.com/v2/PhoneNumbers/${phone}` });
    const found = twilioFixtureJson<Record<string, unknown> & { line_type_intelligence: Record<string, unknown> }>('lookup-v2-line-type-mobile.json');
    reply(200, {
      ...found,
      phone_number: phone,
      url: `https://lookups.twilio.com/v2/PhoneNumbers/${phone}`,
      line_type_intelligence: wantsLineType
        ? { ...found.line_type_intelligence, type, ...(type === 'mobile' ? {} : { mobile_country_code: null, mobile_network_code: null, carrier_name: 'Fake Telco Landline' }) }
        : null,
    });
  }
}
