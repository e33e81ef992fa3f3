import { SUBSCRIBED_TOPICS } from '../mapping/shopify-topics';
import { planSubscriptions } from './webhook-subscriptions.service';

const ours = 'https://hub.example/hooks/shopify/1';
const sub = (id: number, topic: string, address = ours, format = 'json') => ({ id, topic, address, format });

describe('planSubscriptions', () => {
  it('creates every needed topic at an empty shop', () => {
    expect(planSubscriptions([], ours)).toEqual({ create: [...SUBSCRIBED_TOPICS], update: [], delete: [], keep: [] });
  });

  it('changes nothing when the shop already matches', () => {
    const existing = SUBSCRIBED_TOPICS.map((t, i) => sub(i + 1, t));
    const plan = planSubscriptions(existing, ours);
    expect(plan).toMatchObject({ create: [], update: [], delete: [] });
    expect(plan.keep).toHaveLength(SUBSCRIBED_TOPICS.length);
  });

  it('moves a subscription at a wrong address, drops duplicates and stale topics of ours, and leaves others alone', () => {
    const existing = [
      sub(1, 'orders/create', 'https://old.example/hooks/shopify/1'),
      sub(2, 'checkouts/create'),
      sub(3, 'checkouts/create', 'https://old.example/x'),
      sub(4, 'orders/fulfilled'),
      sub(5, 'products/update', 'https://elsewhere.example/'),
      sub(6, 'customers/update', ours, 'xml'),
    ];
    const plan = planSubscriptions(existing, ours);
    expect(plan.update).toEqual([
      { id: 1, topic: 'orders/create' },
      { id: 6, topic: 'customers/update' },
    ]);
    expect(plan.delete.map((w) => w.id).sort()).toEqual([3, 4]);
    expect(plan.keep.map((w) => w.id)).toEqual([2]);
    expect(plan.create).not.toContain('orders/create');
    expect(plan.create).toContain('fulfillments/create');
  });
});
