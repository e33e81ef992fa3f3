import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import type { ConfigSchema } from '../../api/types';
import { SchemaProperties } from './SchemaForm';
import { initialValue } from './schemaForm';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const schema: ConfigSchema = {
  type: 'object',
  required: ['shopDomain', 'accessToken'],
  properties: {
    shopDomain: { type: 'string', description: 'The shop' },
    accessToken: { type: 'string', secret: true },
    mode: { type: 'string', enum: ['live', 'test'] },
  },
};

function render(config: Record<string, unknown>) {
  const host = document.createElement('div');
  document.body.append(host);
  act(() => createRoot(host).render(<SchemaProperties schema={schema} path="config" value={initialValue(schema, config)} onChange={() => undefined} errors={{ 'config.shopDomain': 'must be a myshopify.com domain' }} secretSet={(p) => p === 'config.accessToken' && config.accessToken === '********'} />));
  const control = (label: string) => {
    const element = [...host.querySelectorAll('label')].find((l) => l.textContent === label);
    return element ? (host.querySelector(`#${CSS.escape(element.htmlFor)}`) as HTMLInputElement | HTMLSelectElement | null) : null;
  };
  return { host, control };
}

describe('a plugin config form drawn from its schema', () => {
  it('labels each field, marks optional ones, and shows a server error on its field', () => {
    const { host, control } = render({ shopDomain: 'acme.myshopify.com' });
    expect(control('Shop domain')?.value).toBe('acme.myshopify.com');
    expect(control('Shop domain')?.getAttribute('aria-invalid')).toBe('true');
    expect(host.textContent).toContain('must be a myshopify.com domain');
    expect(control('Mode (optional)')?.tagName).toBe('SELECT');
  });

  it('never shows a stored secret: the field is empty and says a value is set', () => {
    const { host, control } = render({ shopDomain: 'x', accessToken: '********' });
    const secret = control('Access token') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');
    expect(host.textContent).toContain('A value is set. Leave blank to keep it');
  });
});
