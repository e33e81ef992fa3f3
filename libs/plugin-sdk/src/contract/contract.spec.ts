import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AppConfig, keyIdOf, PreferenceLinks, SecretBox } from '@optline/core';
import { randomBytes } from 'node:crypto';
import { checkCanonicalEvents } from '../events/canonical-event.validation';
import { PluginRegistry } from '../registry/plugin-registry';
import { describeConfig } from './config-schema';
import type { CanonicalEvent } from './canonical-events';
import { Secret, secretFieldsOf } from './secret.decorator';

class ChannelConfig {
  @ApiProperty({ example: 'primary' })
  calendarId: string;
}

class ExampleConfig {
  @ApiProperty({ example: 'acme.myshopify.com', description: 'The shop' })
  shopDomain: string;

  @ApiProperty({ example: 'shpat_123' })
  @Secret()
  accessToken: string;

  @ApiPropertyOptional({ enum: ['a', 'b'], isArray: true })
  modes?: string[];

  @ApiProperty({ type: [ChannelConfig] })
  channels: ChannelConfig[];
}

describe('the plugin contract', () => {
  it('describes a config class for the catalogue, marking secrets and hiding their examples', () => {
    expect(secretFieldsOf(ExampleConfig)).toEqual(['accessToken']);
    expect(describeConfig(ExampleConfig)).toEqual({
      type: 'object',
      required: ['shopDomain', 'accessToken', 'channels'],
      properties: {
        shopDomain: { type: 'string', description: 'The shop', example: 'acme.myshopify.com' },
        accessToken: { type: 'string', secret: true },
        modes: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
        channels: { type: 'array', items: { type: 'object', required: ['calendarId'], properties: { calendarId: { type: 'string', example: 'primary' } } } },
      },
    });
  });

  it('names each problem of a malformed event, and types the plugin did not declare', () => {
    const good: CanonicalEvent = { type: 'order.created', dedupeKey: 'o-1', occurredAt: new Date(), correlation: { orderId: '1' }, data: {} };
    expect(checkCanonicalEvents([good], ['order.created'])).toEqual([]);
    const bad = { type: 'order.exploded', dedupeKey: '', occurredAt: new Date('nope'), correlation: { n: 1 }, data: [] } as unknown as CanonicalEvent;
    expect(checkCanonicalEvents([good, bad]).map((p) => p.field)).toEqual(['events[1].type', 'events[1].dedupeKey', 'events[1].occurredAt', 'events[1].correlation', 'events[1].data']);
    expect(checkCanonicalEvents([{ ...good, type: 'lead.created' }], ['order.created'])[0].message).toMatch(/does not declare/);
  });

  it('refuses to register a plugin with a bad id, unknown event types, or no webhook handling', () => {
    const registry = new PluginRegistry();
    const base = { name: 'X', description: 'x', configClass: ExampleConfig, verify: () => ({ ok: true as const }), toEvents: () => [] };
    expect(() => registry.register({ ...base, id: 'Bad Id', emits: [] })).toThrow(/lower-case/);
    expect(() => registry.register({ ...base, id: 'x', emits: ['order.exploded' as never] })).toThrow(/unknown event types/);
    expect(() => registry.register({ id: 'y', name: 'Y', description: 'y', configClass: ExampleConfig, emits: [] })).toThrow(/verify and toEvents/);
    registry.register({ id: 'z', name: 'Z', description: 'z', configClass: ExampleConfig, emits: [], ingress: false });
    expect(registry.get('z').name).toBe('Z');
    expect(() => registry.get('nope')).toThrow(/not found/);
  });
});

describe('preference links', () => {
  const box = (hashKey = randomBytes(32)) => {
    const key = randomBytes(32);
    return new SecretBox({ id: keyIdOf(key), key }, [], hashKey);
  };
  const config = Object.assign(new AppConfig(), { PUBLIC_URL: 'https://sms.acme.test' });
  const ws = '3f0c1a52-5a53-4a0b-9d2c-2f7a4b1b9e10';
  const contact = '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2aa';

  it('round-trips the ids in a short signed URL that survives an encryption-key rotation', () => {
    const hashKey = randomBytes(32);
    const url = new PreferenceLinks(box(hashKey), config).urlFor(ws, contact);
    expect(url).toMatch(/^https:\/\/sms\.acme\.test\/p\/[\w-]{43}\.[\w-]{22}$/);
    const token = url.split('/p/')[1];
    expect(new PreferenceLinks(box(hashKey), config).verify(token)).toEqual({ workspaceId: ws, contactId: contact });
  });

  it('refuses a tampered, foreign or malformed token', () => {
    const links = new PreferenceLinks(box(), config);
    const token = links.token(ws, contact);
    const other = links.token(ws, '9e7a2c1b-8c55-4c9e-a0e4-52e0f6f0c2ab');
    expect(links.verify(`${other.split('.')[0]}.${token.split('.')[1]}`)).toBeNull();
    expect(new PreferenceLinks(box(), config).verify(token)).toBeNull();
    expect(links.verify('garbage')).toBeNull();
    expect(links.verify(`${token}.extra`)).toBeNull();
  });
});
