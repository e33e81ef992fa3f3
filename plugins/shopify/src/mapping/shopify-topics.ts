/**
 * The webhook topics the plugin subscribes to at the shop when an installation is enabled.
 * `orders/fulfilled` is understood when it arrives (a merchant may add it by hand) but not
 * subscribed: `fulfillments/create` already says the same thing per shipment, and both would
 * announce one parcel twice.
 */
export const SUBSCRIBED_TOPICS = [
  'checkouts/create',
  'checkouts/update',
  'orders/create',
  'fulfillments/create',
  'fulfillments/update',
  'customers/create',
  'customers/update',
  'customers_marketing_consent/update',
  // The merchant removed the app: the installation is disabled and its token discarded (decision 0250).
  'app/uninstalled',
] as const;

/**
 * Compliance topics every public app must answer. They cannot be subscribed through the Admin API:
 * they are set once in the app's configuration (Partner Dashboard or `shopify.app.toml`).
 */
export const PRIVACY_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;

export const UNDERSTOOD_TOPICS = [...SUBSCRIBED_TOPICS, 'orders/fulfilled', ...PRIVACY_TOPICS] as const;

export type ShopifyTopic = (typeof UNDERSTOOD_TOPICS)[number];
export type PrivacyTopic = (typeof PRIVACY_TOPICS)[number];

export function isUnderstoodTopic(topic: string): topic is ShopifyTopic {
  return (UNDERSTOOD_TOPICS as readonly string[]).includes(topic);
}

export function isPrivacyTopic(topic: string): topic is PrivacyTopic {
  return (PRIVACY_TOPICS as readonly string[]).includes(topic);
}
