import type { ConsentSource } from '@optline/consent';
import type { CanonicalEvent, CanonicalEventType } from './canonical-events';

/**
 * A webhook request as a plugin sees it: framework-free, with the exact bytes that were signed.
 * Header names are lower-case.
 */
export interface PluginRequest {
  method: string;
  /** Path and query as received, e.g. `/hooks/shopify/3f0c…?x=1`. */
  path: string;
  /**
   * The URL the sender called, rebuilt from the hub's PUBLIC_URL (not from Host headers, which a
   * proxy may change): what HubSpot v3 and Twilio sign.
   */
  publicUrl: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body, exactly as received. Verify signatures over this, never over re-serialised JSON. */
  rawBody: Buffer;
  /** The body parsed by the hub (JSON or form), or undefined for other content types. Trust it only after `verify`. */
  body: unknown;
  /**
   * Set when the body was sent as JSON but does not parse (body is then undefined). The ingress
   * verifies the signature, keeps the delivery as a failed event and answers 422 naming `body`;
   * plugins never see such a request in `toEvents`.
   */
  bodyError?: string;
  /** The caller's address (the proxy's client address behind a trusted proxy). */
  ip: string;
  /** The hub clock's time of receipt. */
  receivedAt: Date;
}

/**
 * One workspace's installation of a plugin, handed to every plugin call. `config` is the
 * validated config DTO with secrets already decrypted; never log it.
 */
export interface InstallationContext<TConfig extends object = Record<string, unknown>> {
  id: string;
  workspaceId: string;
  pluginId: string;
  enabled: boolean;
  config: TConfig;
  /** Plugin-owned runtime data (registered webhook ids, watch channels, sync tokens). */
  state: Record<string, unknown>;
  /** Where the remote system must send webhooks for this installation. */
  webhookUrl: string;
}

/** The answer of `verify`. A reason is stored for operators; it is never sent to the caller. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** What a lifecycle hook may hand back: a patch merged into the installation's `state`. */
export interface LifecycleResult {
  state?: Record<string, unknown>;
}

/** A consent change to write back to the remote system (`onConsentChanged`). */
export interface ConsentWriteback {
  consentEventId: string;
  contactId: string;
  /** The contact's id in each connected system, e.g. `{ shopify: '207119551' }`. */
  externalIds: Record<string, string>;
  /** E.164, or null when the contact was erased. */
  phone: string | null;
  email: string | null;
  messageType: string;
  state: string;
  source: string;
}

/** Limits the ingress applies before calling the plugin. */
export interface IngressLimits {
  /** Bodies larger than this are refused with 413 (default 256 KiB). */
  maxBodyBytes?: number;
  /** Requests per installation per minute before 429 + Retry-After (default 600). */
  requestsPerMinute?: number;
}

export const DEFAULT_INGRESS_LIMITS: Required<IngressLimits> = { maxBodyBytes: 256 * 1024, requestsPerMinute: 600 };

/**
 * The plugin contract. A plugin is a Nest module that provides one object implementing this and
 * registers it with the `PluginRegistry` (see docs/plugins.md). Plugins are stateless: everything
 * per workspace arrives in the `installation` argument; they talk to the hub only through the
 * injected `PluginHost`, and depend on `@optline/plugin-sdk` and `@optline/core` only.
 *
 * @typeParam TConfig the config DTO class (class-validator); mark secret fields with `@Secret()`.
 */
export interface OptlinePlugin<TConfig extends object = object> {
  /** Stable, URL-safe id: `shopify`, `web-forms`. It appears in webhook URLs and must never change. */
  readonly id: string;
  /** Human name for the catalogue. */
  readonly name: string;
  /** One sentence for the catalogue. */
  readonly description: string;
  /** The canonical events this plugin can emit; the ingress refuses any other type. */
  readonly emits: readonly CanonicalEventType[];
  /**
   * The installation's config as a class-validator DTO (with `@ApiProperty` for the catalogue's
   * schema). `PUT /v1/plugins/:id` validates against it and answers 422 naming the field.
   */
  readonly configClass: new () => TConfig;
  /**
   * The consent source this plugin's consent hints carry (`'shopify'`). Consent changes that came
   * from this source are not written back to it, so a change never echoes between systems.
   */
  readonly consentSource?: ConsentSource;
  /** Ingress limits; `false` when the plugin takes no webhooks at `/hooks/:pluginId/:installationId`. */
  readonly ingress?: IngressLimits | false;

  /**
   * Is this request authentic? Check the signature over `request.rawBody` in constant time.
   * A failure answers 401 and stores nothing. Must not throw for a bad request.
   * Required unless `ingress` is false.
   */
  verify?(request: PluginRequest, installation: InstallationContext<TConfig>): VerifyResult | Promise<VerifyResult>;

  /**
   * Turns a verified request into canonical events (zero or more). Throw `PayloadError` when the
   * payload cannot be understood: the sender gets 422 and the reason is kept for operators. Any
   * other error answers 503 so the sender retries (use it for a remote system that is down).
   * Required unless `ingress` is false.
   */
  toEvents?(request: PluginRequest, installation: InstallationContext<TConfig>): CanonicalEvent[] | Promise<CanonicalEvent[]>;

  /**
   * Called when an admin enables the installation, and again when its config changes while
   * enabled: register webhooks or watch channels at the remote system. Must be idempotent.
   * Throwing keeps the installation disabled; throw a DomainError (e.g. `invalidField('config.accessToken', …)`)
   * for a message the admin can act on.
   */
  onEnable?(installation: InstallationContext<TConfig>): Promise<LifecycleResult | void>;

  /** Called when the installation is disabled or deleted: unregister at the remote system. Best effort. */
  onDisable?(installation: InstallationContext<TConfig>): Promise<LifecycleResult | void>;

  /**
   * Writes a consent change back to the remote system (e.g. an opt-out to a CRM property). Runs in
   * the `plugin.consent-writeback` job: throwing retries with backoff, and the error shows in the
   * installation's status.
   */
  onConsentChanged?(change: ConsentWriteback, installation: InstallationContext<TConfig>): Promise<void>;
}

/**
 * Thrown by `toEvents` when a verified payload cannot be understood. The ingress answers 422 with
 * `field` named, and stores the reason on the installation for operators.
 */
export class PayloadError extends Error {
  override name = 'PayloadError';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
