import type { TemplateFlowStatus } from '../host/hub-flows';
import type { Contact, UpsertContactInput } from '@optline/contacts';
import type { ConsentChange, ConsentMessageType, ConsentState } from '@optline/consent';
import type { CanonicalEvent } from './canonical-events';
import type { InstallationContext } from './plugin';

/** The workspace profile a plugin may show (brand on a hosted page, country for phones). */
export interface HostWorkspace {
  id: string;
  name: string;
  brandName: string;
  supportEmail: string | null;
  supportPhone: string | null;
  supportUrl: string | null;
  defaultCountry: string;
  timeZone: string;
}

export interface HostDisclosure {
  id: string;
  version: number;
  text: string;
}

export type ContactLookup = { id: string } | { phone: string } | { externalId: { source: string; id: string } };

export interface EmitResult {
  /** Ids of the events stored now (duplicates excluded). */
  storedIds: string[];
  duplicates: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * What the hub offers plugins: the one door to contacts, consent, disclosures and the event
 * store. Plugins inject this (it is provided by PluginSdkModule) and never import the contacts
 * or consent libraries, so those can change without touching any plugin.
 */
export abstract class PluginHost {
  /** The workspace's profile; NotFoundError when unknown. */
  abstract workspace(workspaceId: string): Promise<HostWorkspace>;

  /** E.164 for a number in any format (read with the workspace's country), or null if unusable. */
  abstract normalizePhone(workspaceId: string, raw: string): Promise<string | null>;

  abstract findContact(workspaceId: string, by: ContactLookup): Promise<Contact | null>;

  /** Creates or updates the contact with this phone; 422 naming `phone` when it is not a number. */
  abstract upsertContact(workspaceId: string, input: UpsertContactInput): Promise<{ contact: Contact; created: boolean }>;

  /** Erases a person's personal data (a vendor's redact request); the suppression entry is kept. */
  abstract eraseContact(workspaceId: string, contactId: string, actor: string): Promise<void>;

  /**
   * Removes what this installation's stored events say about people (contact and consent hints,
   * payload fields), keeping the rows for counts and flow histories: a vendor's "erase the shop"
   * request. Returns how many events were scrubbed.
   */
  abstract scrubInstallationEvents(installation: InstallationContext<object>): Promise<number>;

  /** Appends to the consent ledger (one entry per type). */
  abstract recordConsent(workspaceId: string, change: ConsentChange): Promise<void>;

  /** Current consent per contact and type, in one query; a missing entry is 'none'. */
  abstract consentStates(workspaceId: string, contactIds: string[]): Promise<Map<string, Record<ConsentMessageType, ConsentState>>>;

  /**
   * Current consent of the contact with this phone (any written form, read with the workspace's
   * country), or null when the phone is not a number or no contact has it. For checks on a hot
   * path (a webhook asking whether a statement repeats the known state): concurrent calls share
   * their queries, so it costs about the same as `findContact` + `consentStates` for one call and
   * far less under load.
   */
  abstract consentStatesOfPhone(workspaceId: string, phone: string): Promise<Record<ConsentMessageType, ConsentState> | null>;

  /** The workspace's current disclosure version, or null when it has none. */
  abstract currentDisclosure(workspaceId: string): Promise<HostDisclosure | null>;

  /** A disclosure version by id (NotFoundError when unknown). */
  abstract disclosure(workspaceId: string, disclosureId: string): Promise<HostDisclosure>;

  /** Records a new disclosure version with this exact text. */
  abstract createDisclosure(workspaceId: string, text: string): Promise<HostDisclosure>;

  /**
   * Stores canonical events for an installation (deduplicated by `dedupeKey`) and queues their
   * dispatch. Use it for events that do not arrive through the webhook ingress (hosted forms,
   * polling). Stored before it resolves.
   */
  abstract emit(installation: InstallationContext<object>, events: CanonicalEvent[]): Promise<EmitResult>;

  /** An installation of `pluginId` with its config decrypted, or null when unknown (for a plugin's own public routes). */
  abstract installation<TConfig extends object>(pluginId: string, installationId: string): Promise<InstallationContext<TConfig> | null>;

  /** The workspace's installation of `pluginId` with its config decrypted, or null when not installed (for a plugin's admin routes). */
  abstract workspaceInstallation<TConfig extends object>(workspaceId: string, pluginId: string): Promise<InstallationContext<TConfig> | null>;

  /** Merges a patch into the installation's plugin-owned `state` (top-level keys replaced). */
  abstract updateState(installation: InstallationContext<object>, patch: Record<string, unknown>): Promise<void>;

  /**
   * Counts one hit on `bucket` in a fixed window shared by every hub process (Redis). Plugins use
   * it for their own abuse limits (per IP, per phone).
   */
  abstract rateLimit(bucket: string, limit: number, windowSeconds: number): Promise<RateLimitVerdict>;

  /**
   * Makes sure the workspace has an active flow made from this built-in template (creates and
   * activates it, or activates a draft; a flow someone paused stays paused). For plugins whose
   * events need a flow to do what they promise (web forms: the double opt-in flow).
   */
  abstract ensureTemplateFlow(workspaceId: string, templateKey: string): Promise<TemplateFlowStatus>;

  /** The id of an active flow this event type starts that sends an opt-in request, or null. */
  abstract activeOptInFlowFor(workspaceId: string, eventType: string): Promise<string | null>;

  /**
   * The plugin's own connect flow (an OAuth install) obtained config values, e.g. an access
   * token: merges them into the config (secrets sealed) and enables the installation, running
   * `onEnable`. 422 naming `config.<field>` when the result is not a valid config.
   */
  abstract connectInstallation(installation: InstallationContext<object>, patch: Record<string, unknown>): Promise<void>;

  /**
   * The vendor dropped the app (an uninstall), or the admin disconnected it through the plugin's
   * own route: disables without `onDisable`, stores the patch (a secret set to null is discarded)
   * and shows `reason` in the status as an error; `null` (the admin's own disconnect) clears it.
   */
  abstract disconnectInstallation(installation: InstallationContext<object>, patch: Record<string, unknown>, reason: string | null): Promise<void>;

  /** Shows an error in the installation's status (e.g. a sync that failed outside a request). */
  abstract reportError(installation: InstallationContext<object>, source: string, message: string): Promise<void>;
}
