/**
 * Answer shapes the committed OpenAPI document gives only as examples so far. Each mirrors the
 * hub's answer; they go as the document gains typed responses (regenerate: `npm run openapi`).
 */
export type Role = 'admin' | 'marketing' | 'support' | 'operations';
export type MessageType = 'marketing' | 'transactional' | 'conversational';
export const MESSAGE_TYPES: MessageType[] = ['marketing', 'transactional', 'conversational'];
export const ROLES: Role[] = ['admin', 'marketing', 'support', 'operations'];

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

export interface Me {
  user: { id: string; email: string; displayName: string; role: Role };
  workspace: { id: string; name: string; brandName: string };
  permissions: string[];
}

export interface Contact {
  id: string;
  phone: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  timeZone: string | null;
  resolvedTimeZone?: { zones: string[]; source: string } | null;
  attributes: Record<string, unknown>;
  externalIds: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
}

export interface ConsentState {
  state: string;
  since: string | null;
  eventId: string | null;
}

export interface LedgerEntry {
  id: string;
  seq: number | string;
  kind: string;
  messageType: string | null;
  state: string | null;
  source: string;
  evidence: Record<string, unknown> | null;
  disclosureId: string | null;
  disclosureVersion: number | null;
  flowId: string | null;
  campaignId: string | null;
  actor: string | null;
  occurredAt: string;
  recordedAt: string;
}

export interface ContactConsent {
  contactId: string;
  states: Record<string, ConsentState>;
  history: LedgerEntry[];
}

export interface Disclosure {
  id: string;
  version: number;
  text: string;
  createdAt: string;
}

export interface PolicyVerdict {
  policy: string;
  outcome: string;
  reason: string;
  detail?: Record<string, unknown>;
}

export interface CheckResult {
  allowed: boolean;
  outcome: string;
  policy: string | null;
  reason: string | null;
  until: string | null;
  contactId: string | null;
  zone?: { zones: string[]; source: string } | null;
  region?: string | null;
  policies: PolicyVerdict[];
}

export interface Message {
  id: string;
  contactId: string | null;
  direction: string;
  type: string;
  phone: string;
  body: string;
  segments: number;
  encoding: string;
  status: string;
  reason: string | null;
  deferredUntil: string | null;
  idempotencyKey: string | null;
  origin: Record<string, unknown> | null;
  provider: string | null;
  providerMessageId: string | null;
  errorCode: string | null;
  policies: PolicyVerdict[];
  createdAt: string;
  handedOffAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  links?: { code: string; url: string; clicks: number; firstClickedAt: string | null }[];
  statusEvents?: { status: string; at: string; errorCode?: string | null; source?: string }[];
}

export interface Group {
  id: string;
  name: string;
  kind: string;
  system: boolean;
  description: string | null;
  memberCount: number;
  createdAt: string;
}

export interface ConfigSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, ConfigSchema>;
  items?: ConfigSchema;
  enum?: string[];
  description?: string;
  example?: unknown;
  secret?: boolean;
}

export interface PluginStatus {
  enabledAt: string | null;
  lastEventAt: string | null;
  lastError: { source: string; message: string; at: string } | null;
  counts: {
    received: number;
    duplicates: number;
    rejected: number;
    events: Record<string, number>;
    writebacks?: Record<string, number>;
  };
}

export interface Plugin {
  id: string;
  name: string;
  description: string;
  emits: string[];
  configSchema: ConfigSchema;
  writesConsentBack: boolean;
  installation: {
    id: string;
    pluginId: string;
    enabled: boolean;
    config: Record<string, unknown>;
    webhookUrl: string | null;
    requestsPerMinute: number | null;
    status: PluginStatus;
    createdAt: string;
    updatedAt: string;
  } | null;
}

export interface StoredEvent {
  id: string;
  type: string;
  pluginId: string;
  installationId: string | null;
  status: string;
  contactId: string | null;
  data: Record<string, unknown>;
  outcome: Record<string, unknown> | null;
  error?: string | null;
  replayCount: number;
  occurredAt: string;
  receivedAt: string;
  processedAt: string | null;
}

export interface ImportJob {
  id: string;
  status: string;
  fileName: string | null;
  bytes: number;
  rowsRead: number;
  created: number;
  updated: number;
  rejected: number;
  consentSkipped: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Suppression {
  id: string;
  phone: string;
  reason: string;
  actor: string | null;
  createdAt: string;
}

export interface Workspace {
  id: string;
  name: string;
  brandName: string;
  supportEmail: string | null;
  supportPhone: string | null;
  supportUrl: string | null;
  defaultCountry: string;
  timeZone: string;
  optInMode: string;
  quietHours: { start: string; end: string; exemptTransactional: boolean };
  frequencyCap: { count: number; windowHours: number; types: string[] } | null;
  maxSegments: number;
  optOutFooter: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  key?: string;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  url?: string;
  expiresAt: string;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}
