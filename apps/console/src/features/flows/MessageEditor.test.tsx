import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageEditor } from './MessageEditor';

// Rendered into happy-dom and read by role and label, as a person would.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('MessageEditor', () => {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  const render = (value: string, onChange = vi.fn(), issues: string[] = []) => {
    act(() => root.render(<MessageEditor value={value} onChange={onChange} events={['checkout.updated']} brandName="Acme" issues={issues} />));
    return onChange;
  };
  const byLabel = (label: string) => container.querySelector(`[aria-label="${label}"]`);

  it('previews the text for a sample contact and event, with its segments and encoding', () => {
    render("{{ workspace.brandName }}: hi {{ contact.firstName }}, your cart: {{ event.checkoutUrl }}");
    expect(byLabel('Preview')?.textContent).toBe('Acme: hi Alex, your cart: https://shop.example/checkouts/c1a2b3');
    expect(container.querySelector('#flow-message-count')?.textContent).toBe('63 characters · 1 segment · GSM-7');
  });

  it('says when a character forces UCS-2', () => {
    render('Acme: see you soon 😀');
    expect(container.querySelector('#flow-message-count')?.textContent).toBe('21 UCS-2 units · 1 segment · UCS-2 (because of 😀)');
  });

  it("completes the trigger's variables after {{ and closes the tag", () => {
    const onChange = render('Finish here: {{ event.check');
    const options = [...(byLabel('Variables')?.querySelectorAll('button') ?? [])].map((b) => b.textContent);
    expect(options).toEqual(['event.checkoutToken', 'event.checkoutUrl']);
    act(() => (byLabel('Variables')!.querySelectorAll('button')[1] as HTMLButtonElement).click());
    expect(onChange).toHaveBeenCalledWith('Finish here: {{ event.checkoutUrl }}');
  });

  it("lists the hub's problems with the step", () => {
    render('hi', vi.fn(), ['step "send-1": the first message must name the sender']);
    expect(byLabel('Problems with this step')?.textContent).toContain('must name the sender');
  });
});
