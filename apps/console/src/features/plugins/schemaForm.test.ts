import { describe, expect, it } from 'vitest';
import type { ConfigSchema } from '../../api/types';
import { initialValue, labelOf, SECRET_MASK, toConfig } from './schemaForm';

const schema: ConfigSchema = {
  type: 'object',
  required: ['shopDomain', 'accessToken'],
  properties: {
    shopDomain: { type: 'string' },
    accessToken: { type: 'string', secret: true },
    modes: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    limit: { type: 'number' },
    live: { type: 'boolean' },
    channels: { type: 'array', items: { type: 'object', properties: { calendarId: { type: 'string' } } } },
  },
};

describe('plugin config forms', () => {
  it('starts from the installed config with secrets blank', () => {
    const value = initialValue(schema, { shopDomain: 'acme.myshopify.com', accessToken: SECRET_MASK, modes: ['a', 'b'], limit: 5, live: true, channels: [{ calendarId: 'primary' }] });
    expect(value).toEqual({ shopDomain: 'acme.myshopify.com', accessToken: '', modes: 'a\nb', limit: '5', live: true, channels: [{ calendarId: 'primary' }] });
  });

  it('round-trips to the config to save, leaving an untouched secret out so the hub keeps it', () => {
    const value = initialValue(schema, { shopDomain: 'acme.myshopify.com', accessToken: SECRET_MASK, modes: ['a'], limit: 5, live: false, channels: [] });
    expect(toConfig(schema, value)).toEqual({ shopDomain: 'acme.myshopify.com', modes: ['a'], limit: 5, live: false, channels: [] });
  });

  it('sends a secret the user typed', () => {
    const value = { ...(initialValue(schema, {}) as object), shopDomain: 'x', accessToken: 'shpat_new' };
    expect(toConfig(schema, value)).toMatchObject({ shopDomain: 'x', accessToken: 'shpat_new' });
  });

  it('reads an object without properties by its example: a list, or JSON', () => {
    const odd: ConfigSchema = { type: 'object', properties: { origins: { type: 'object', properties: {}, example: ['https://a.test'] }, extra: { type: 'object', properties: {} } } };
    const value = initialValue(odd, { origins: ['https://a.test', 'https://b.test'], extra: { a: 1 } });
    expect(value).toEqual({ origins: 'https://a.test\nhttps://b.test', extra: '{\n  "a": 1\n}' });
    expect(toConfig(odd, value)).toEqual({ origins: ['https://a.test', 'https://b.test'], extra: { a: 1 } });
  });

  it('labels fields', () => {
    expect(labelOf('allowedOrigins')).toBe('Allowed origins');
    expect(labelOf('signing_secret')).toBe('Signing secret');
  });
});
