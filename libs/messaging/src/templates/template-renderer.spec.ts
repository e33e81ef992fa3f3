import { DomainError } from '@optline/core';
import { TemplateRenderer } from './template-renderer';

describe('TemplateRenderer', () => {
  const renderer = new TemplateRenderer();
  const data = { contact: { firstName: 'Ana', lastName: null }, workspace: { brandName: 'Acme' }, event: { order: { id: 1042 } } };

  it('renders contact, workspace and event data', async () => {
    await expect(renderer.render('{{ workspace.brandName }}: hi {{ contact.firstName }}, order #{{ event.order.id }} shipped', data)).resolves.toBe(
      'Acme: hi Ana, order #1042 shipped',
    );
  });

  it('refuses an unknown variable at render time instead of printing an empty string', async () => {
    const error = await renderer.render('Hi {{ contact.nickname }}', data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('template_error');
    expect((error as DomainError).details[0]).toMatchObject({ field: 'template' });
    expect((error as DomainError).message).toMatch(/nickname/);
  });

  it('lets a null field use a default', async () => {
    await expect(renderer.render('{{ contact.lastName | default: "friend" }}', data)).resolves.toBe('friend');
  });

  it('reports unknown variables at validation time', () => {
    const known = ['contact.firstName', 'workspace', 'event.order'];
    expect(renderer.validate('Hi {{ contact.firstName }} {{ workspace.brandName }} {{ event.order.id }}', known)).toEqual([]);
    expect(renderer.validate('Hi {{ contact.nickname }} {{ cart.url }} {% for i in event.order.items %}{{ i.sku }}{% endfor %}', known)).toEqual([
      'cart.url',
      'contact.nickname',
    ]);
  });

  it('answers a syntax error with a 422 on the template field', () => {
    expect(() => renderer.validate('Hi {{ contact.firstName ', [])).toThrow(expect.objectContaining({ code: 'template_syntax', kind: 'unprocessable' }));
  });

  it('refuses an unknown filter', async () => {
    await expect(renderer.render('{{ contact.firstName | shout }}', data)).rejects.toMatchObject({ code: expect.stringMatching(/^template_/) });
  });

  it('passes URLs through the link filter to the sink, or prints them unchanged without one', async () => {
    const seen: string[] = [];
    const out = await renderer.render('Cart: {{ "https://acme.test/cart?x=1" | link }}', data, {
      links: (url) => {
        seen.push(url);
        return 'https://hub.test/l/abc123';
      },
    });
    expect(out).toBe('Cart: https://hub.test/l/abc123');
    expect(seen).toEqual(['https://acme.test/cart?x=1']);
    await expect(renderer.render('{{ "https://acme.test" | link }}', data)).resolves.toBe('https://acme.test');
  });
});
