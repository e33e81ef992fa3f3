import { SealedSecret, Workspace } from '@optline/core';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const PROVIDER_KINDS = ['console', 'twilio', 'http', 'null'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Settings that are not secret (shown back to admins as they are). */
export interface ProviderSettings {
  /** Twilio: the account (starts with AC). */
  accountSid?: string;
  /** The sender number (E.164) — Twilio `From`, or what the http provider is told to send from. */
  from?: string;
  /** Twilio: a Messaging Service SID (MG...) instead of a sender number. */
  messagingServiceSid?: string;
  /** Twilio: a Twilio-compatible REST endpoint instead of https://api.twilio.com (regional, proxy, tests). */
  apiBaseUrl?: string;
  /** http: where outbound messages are POSTed. */
  url?: string;
  /** The sender's carrier rate (messages per second); none = unlimited. */
  messagesPerSecond?: number;
  /** Answer keyword replies inside the inbound webhook's TwiML instead of through the REST API. */
  replyInTwiml?: boolean;
  /** Twilio: look up each new number's line type (Lookup v2, billed per lookup) and suppress landlines and invalid numbers. */
  lineTypeLookup?: boolean;
}

/** Secret settings: sealed with SecretBox at rest, never shown back. */
export interface ProviderSecrets {
  /** Twilio auth token (also the key of X-Twilio-Signature). */
  authToken?: string;
  /** http: the HMAC key signing what we send and what the carrier sends us. */
  signingSecret?: string;
}

/** The SMS provider a workspace sends through (`PUT /v1/sms-provider`); none stored = `console`. */
@Entity({ name: 'sms_provider_config' })
@Check('CHK_sms_provider_config_kind', `"kind" IN ('console', 'twilio', 'http', 'null')`)
export class SmsProviderConfig {
  @PrimaryColumn({ name: 'workspace_id', type: 'uuid', primaryKeyConstraintName: 'PK_sms_provider_config' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'FK_sms_provider_config_workspace' })
  workspace?: Workspace;

  @Column({ type: 'text' })
  kind: ProviderKind;

  @Column({ type: 'jsonb', default: {} })
  settings: ProviderSettings;

  @Column({ type: 'jsonb', nullable: true, select: false })
  secrets: SealedSecret | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
