/**
 * The parts of Shopify's webhook payloads the plugin reads (REST resource shapes, as delivered by
 * webhooks). Everything is optional: Shopify's own samples leave fields null, and a field we do
 * not get must not break the mapping. Ids may be strings (see `parseShopifyJson`).
 */
export type ShopifyId = number | string;

export interface ShopifyAddress {
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  country_code?: string | null;
  province_code?: string | null;
}

export interface ShopifySmsMarketingConsent {
  state?: string | null;
  opt_in_level?: string | null;
  consent_updated_at?: string | null;
  consent_collected_from?: string | null;
}

export interface ShopifyCustomer {
  id?: ShopifyId | null;
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  state?: string | null;
  tags?: string | null;
  orders_count?: number | null;
  /** Newer API versions' count of orders (a string). */
  number_of_orders?: string | number | null;
  total_spent?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  admin_graphql_api_id?: string | null;
  default_address?: ShopifyAddress | null;
  sms_marketing_consent?: ShopifySmsMarketingConsent | null;
}

export interface ShopifyLineItem {
  title?: string | null;
  name?: string | null;
  presentment_title?: string | null;
  variant_title?: string | null;
  quantity?: number | null;
  price?: string | null;
  sku?: string | null;
  product_id?: ShopifyId | null;
  variant_id?: ShopifyId | null;
}

export interface ShopifyCheckout {
  id?: ShopifyId | null;
  token?: string | null;
  cart_token?: string | null;
  email?: string | null;
  phone?: string | null;
  sms_marketing_phone?: string | null;
  buyer_accepts_sms_marketing?: boolean | null;
  abandoned_checkout_url?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  completed_at?: string | null;
  currency?: string | null;
  presentment_currency?: string | null;
  total_price?: string | null;
  subtotal_price?: string | null;
  total_tax?: string | null;
  total_discounts?: string | null;
  line_items?: ShopifyLineItem[] | null;
  billing_address?: ShopifyAddress | null;
  shipping_address?: ShopifyAddress | null;
  customer?: ShopifyCustomer | null;
}

export interface ShopifyFulfillment {
  id?: ShopifyId | null;
  order_id?: ShopifyId | null;
  name?: string | null;
  status?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  tracking_company?: string | null;
  tracking_number?: string | null;
  tracking_numbers?: string[] | null;
  tracking_url?: string | null;
  tracking_urls?: string[] | null;
  shipment_status?: string | null;
  email?: string | null;
  destination?: ShopifyAddress | null;
  line_items?: ShopifyLineItem[] | null;
}

export interface ShopifyOrder {
  id?: ShopifyId | null;
  name?: string | null;
  order_number?: number | null;
  checkout_token?: string | null;
  cart_token?: string | null;
  email?: string | null;
  phone?: string | null;
  created_at?: string | null;
  processed_at?: string | null;
  updated_at?: string | null;
  currency?: string | null;
  total_price?: string | null;
  subtotal_price?: string | null;
  total_tax?: string | null;
  financial_status?: string | null;
  fulfillment_status?: string | null;
  order_status_url?: string | null;
  line_items?: ShopifyLineItem[] | null;
  shipping_address?: ShopifyAddress | null;
  billing_address?: ShopifyAddress | null;
  customer?: ShopifyCustomer | null;
  fulfillments?: ShopifyFulfillment[] | null;
}

/** `customers_marketing_consent/update`. */
export interface ShopifyMarketingConsentUpdate {
  id?: ShopifyId | null;
  phone?: string | null;
  sms_marketing_consent?: ShopifySmsMarketingConsent | null;
}

/** `customers/data_request` and `customers/redact`. */
export interface ShopifyCustomerPrivacyRequest {
  shop_id?: ShopifyId | null;
  shop_domain?: string | null;
  customer?: { id?: ShopifyId | null; email?: string | null; phone?: string | null } | null;
  orders_requested?: ShopifyId[] | null;
  orders_to_redact?: ShopifyId[] | null;
  data_request?: { id?: ShopifyId | null } | null;
}

/** `shop/redact`. */
export interface ShopifyShopRedact {
  shop_id?: ShopifyId | null;
  shop_domain?: string | null;
}
