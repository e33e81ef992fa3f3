import { ListOf, PageOf } from './page.dto';

describe('ListOf / PageOf', () => {
  class WidgetResponseDto {}

  it('give one named schema class per item type, the same class on every call', () => {
    expect(ListOf(WidgetResponseDto).name).toBe('WidgetList');
    expect(PageOf(WidgetResponseDto).name).toBe('WidgetPage');
    expect(PageOf(WidgetResponseDto)).toBe(PageOf(WidgetResponseDto));
  });

  it('refuse a second item class that would take the same schema name', () => {
    const other = class WidgetDto {};
    expect(() => ListOf(other)).toThrow(/WidgetList is wanted for both WidgetResponseDto and WidgetDto/);
  });
});
