import { Injectable, Logger } from '@nestjs/common';
import { Contact, InstallationContext, PayloadError, PluginHost } from '@optline/plugin-sdk';
import type { ShopifyConfig } from '../config/shopify-config.dto';
import type { ShopifyCustomerPrivacyRequest, ShopifyShopRedact } from '../mapping/shopify-payloads';
import { shopifyId } from '../mapping/shopify-json';
import type { PrivacyTopic } from '../mapping/shopify-topics';

/** What Optline holds about a person, without the data itself: the answer to `customers/data_request`. */
export interface DataRequestSummary {
  contactFound: boolean;
  contactId: string | null;
  matchedBy: 'shopify_customer_id' | 'phone' | null;
  /** Which personal fields are set (names only, no values). */
  fieldsHeld: string[];
  attributeNames: string[];
  externalSystems: string[];
  consent: Record<string, string> | null;
  erased: boolean;
  /** Where an admin exports the full record for the merchant to hand over. */
  export: string | null;
}

/** One handled privacy request, kept (newest first) in the installation's `state.privacyRequests`. */
export interface PrivacyRecord {
  webhookId: string;
  /** A privacy topic, or the regular topic that reported the customer as redacted. */
  topic: string;
  receivedAt: string;
  shopifyCustomerId: string | null;
  dataRequestId: string | null;
  ordersMentioned: string[];
  outcome: 'reported' | 'erased' | 'not_found' | 'shop_erased';
  summary?: DataRequestSummary;
  erasedContactIds?: string[];
  note?: string;
}

export const PRIVACY_STATE_KEY = 'privacyRequests';
const KEEP_RECORDS = 200;

interface RequestContext {
  installation: InstallationContext<ShopifyConfig>;
  webhookId: string;
  receivedAt: Date;
}

/**
 * Shopify's mandatory privacy webhooks. Each is answered by doing the work at once (they are rare
 * and small) and keeping a record on the installation, so an operator can show Shopify, the
 * merchant or the person what was done and when. A redelivery replaces its own record.
 */
@Injectable()
export class ShopifyPrivacyService {
  private readonly logger = new Logger(ShopifyPrivacyService.name);

  constructor(private readonly host: PluginHost) {}

  async handle(topic: PrivacyTopic, payload: Record<string, unknown>, ctx: RequestContext): Promise<PrivacyRecord> {
    this.checkShop(payload as ShopifyShopRedact, ctx.installation.config.shopDomain);
    switch (topic) {
      case 'customers/data_request':
        return this.record(ctx, await this.dataRequest(payload as ShopifyCustomerPrivacyRequest, ctx));
      case 'customers/redact':
        return this.record(ctx, await this.customerRedact(payload as ShopifyCustomerPrivacyRequest, ctx));
      case 'shop/redact':
        return this.record(ctx, await this.shopRedact(ctx));
    }
  }

  /**
   * Erases the person Shopify reports as redacted (consent state `redacted`), from a regular
   * topic rather than `customers/redact`.
   */
  async eraseRedactedCustomer(customerId: string, phone: string | null, topic: string, ctx: RequestContext): Promise<PrivacyRecord> {
    const contact = await this.findPerson(ctx.installation.workspaceId, customerId, phone);
    if (contact.contact && !contact.contact.erasedAt) await this.host.eraseContact(ctx.installation.workspaceId, contact.contact.id, `shopify:${topic}`);
    return this.record(ctx, {
      topic,
      shopifyCustomerId: customerId,
      dataRequestId: null,
      ordersMentioned: [],
      outcome: contact.contact ? 'erased' : 'not_found',
      erasedContactIds: contact.contact ? [contact.contact.id] : [],
    });
  }

  private async dataRequest(payload: ShopifyCustomerPrivacyRequest, ctx: RequestContext): Promise<Omit<PrivacyRecord, 'webhookId' | 'receivedAt'>> {
    const customerId = this.customerIdOf(payload);
    const workspaceId = ctx.installation.workspaceId;
    const { contact, matchedBy } = await this.findPerson(workspaceId, customerId, payload.customer?.phone ?? null);
    const consent = contact ? ((await this.host.consentStates(workspaceId, [contact.id])).get(contact.id) ?? null) : null;
    const summary: DataRequestSummary = {
      contactFound: contact !== null,
      contactId: contact?.id ?? null,
      matchedBy,
      fieldsHeld: contact ? heldFields(contact) : [],
      attributeNames: contact ? Object.keys(contact.attributes ?? {}).sort() : [],
      externalSystems: contact ? Object.keys(contact.externalIds ?? {}).sort() : [],
      consent: consent ? { ...consent } : null,
      erased: Boolean(contact?.erasedAt),
      export: contact ? `/v1/contacts/${contact.id}` : null,
    };
    return {
      topic: 'customers/data_request',
      shopifyCustomerId: customerId,
      dataRequestId: shopifyId(payload.data_request?.id),
      ordersMentioned: ids(payload.orders_requested),
      outcome: contact ? 'reported' : 'not_found',
      summary,
    };
  }

  /** Erases the person; the contact keeps its phone hash, so a suppression (an opt-out) still holds. */
  private async customerRedact(payload: ShopifyCustomerPrivacyRequest, ctx: RequestContext): Promise<Omit<PrivacyRecord, 'webhookId' | 'receivedAt'>> {
    const customerId = this.customerIdOf(payload);
    const { contact } = await this.findPerson(ctx.installation.workspaceId, customerId, payload.customer?.phone ?? null);
    if (contact && !contact.erasedAt) await this.host.eraseContact(ctx.installation.workspaceId, contact.id, 'shopify:customers/redact');
    return {
      topic: 'customers/redact',
      shopifyCustomerId: customerId,
      dataRequestId: null,
      ordersMentioned: ids(payload.orders_to_redact),
      outcome: contact ? 'erased' : 'not_found',
      erasedContactIds: contact ? [contact.id] : [],
    };
  }

  /**
   * 48 hours after the app was uninstalled: forget the shop. What the plugin holds about the shop
   * is in the installation's state (shop profile, webhook ids, earlier privacy records with
   * customer ids): it is cleared. Contacts stay: they are the workspace's own contacts, shared
   * with its other sources, and each person's erasure comes through `customers/redact`.
   */
  private async shopRedact(ctx: RequestContext): Promise<Omit<PrivacyRecord, 'webhookId' | 'receivedAt'>> {
    await this.host.updateState(ctx.installation, { shop: null, webhooks: {}, lastSync: null, [PRIVACY_STATE_KEY]: [] });
    ctx.installation.state[PRIVACY_STATE_KEY] = [];
    const scrubbed = await this.host.scrubInstallationEvents(ctx.installation);
    return {
      topic: 'shop/redact',
      shopifyCustomerId: null,
      dataRequestId: null,
      ordersMentioned: [],
      outcome: 'shop_erased',
      note: `shop profile, webhook ids and earlier privacy records were cleared; customer details removed from ${scrubbed} stored events`,
    };
  }

  private async findPerson(workspaceId: string, customerId: string | null, phone: string | null): Promise<{ contact: Contact | null; matchedBy: DataRequestSummary['matchedBy'] }> {
    if (customerId) {
      const byId = await this.host.findContact(workspaceId, { externalId: { source: 'shopify', id: customerId } });
      if (byId) return { contact: byId, matchedBy: 'shopify_customer_id' };
    }
    if (phone) {
      const e164 = await this.host.normalizePhone(workspaceId, phone);
      const byPhone = e164 ? await this.host.findContact(workspaceId, { phone: e164 }) : null;
      if (byPhone) return { contact: byPhone, matchedBy: 'phone' };
    }
    return { contact: null, matchedBy: null };
  }

  private customerIdOf(payload: ShopifyCustomerPrivacyRequest): string {
    const id = shopifyId(payload.customer?.id);
    if (!id) throw new PayloadError('customer.id must be a Shopify id', 'customer.id');
    return id;
  }

  /** The payload names its shop too; it must be the installation's (the header was already checked). */
  private checkShop(payload: ShopifyShopRedact, shopDomain: string): void {
    if (typeof payload.shop_domain === 'string' && payload.shop_domain.toLowerCase() !== shopDomain) {
      throw new PayloadError(`shop_domain ${payload.shop_domain} is not this installation's shop`, 'shop_domain');
    }
  }

  /** Keeps the record, replacing an earlier one of the same delivery, newest first. */
  private async record(ctx: RequestContext, entry: Omit<PrivacyRecord, 'webhookId' | 'receivedAt'>): Promise<PrivacyRecord> {
    const record: PrivacyRecord = { webhookId: ctx.webhookId, receivedAt: ctx.receivedAt.toISOString(), ...entry };
    const earlier = ((ctx.installation.state[PRIVACY_STATE_KEY] as PrivacyRecord[] | undefined) ?? []).filter((r) => r.webhookId !== ctx.webhookId);
    await this.host.updateState(ctx.installation, { [PRIVACY_STATE_KEY]: [record, ...earlier].slice(0, KEEP_RECORDS) });
    this.logger.log({ installationId: ctx.installation.id, topic: record.topic, outcome: record.outcome }, 'Shopify privacy request handled');
    return record;
  }
}

function heldFields(contact: Contact): string[] {
  const fields: [string, unknown][] = [
    ['phone', contact.phone],
    ['email', contact.email],
    ['firstName', contact.firstName],
    ['lastName', contact.lastName],
    ['timeZone', contact.timeZone],
  ];
  return fields.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k]) => k);
}

function ids(values: unknown): string[] {
  return Array.isArray(values) ? values.map((v) => shopifyId(v)).filter((v): v is string => v !== null) : [];
}
