import { DEFAULT_WORKSPACE_POLICY } from '@optline/core';
import type { PolicyContext } from './send-policy';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Date ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A policy context for unit tests: an opted-in Florida number at noon, with overrides. */
export function policyContext(overrides: DeepPartial<PolicyContext> = {}): PolicyContext {
  const now = overrides.now ?? new Date('2026-11-20T17:00:00Z'); // 12:00 in Miami
  const base: PolicyContext = {
    now,
    workspace: { id: 'ws', optInMode: 'consent', timeZone: 'America/New_York', policy: DEFAULT_WORKSPACE_POLICY },
    message: { id: '6f1c9a52-0000-4000-8000-000000000001', type: 'marketing', systemKind: null, status: 'queued', createdAt: now, idempotencyKey: 'k1' },
    phone: '+13055550123',
    contactId: 'c1',
    suppressed: false,
    consent: { marketing: 'opted_in', transactional: 'opted_in', conversational: 'opted_in' },
    region: 'FL',
    zone: { zones: ['America/New_York'], source: 'phone_exchange' },
    history: { handedOffInCapWindow: 0, marketingInStateCapWindow: 0, contactedBefore: true, lastSystemHandoff: {}, lastOptInKeywordAt: null },
  };
  return {
    ...base,
    ...overrides,
    workspace: { ...base.workspace, ...overrides.workspace, policy: { ...base.workspace.policy, ...overrides.workspace?.policy } } as PolicyContext['workspace'],
    message: { ...base.message, ...overrides.message } as PolicyContext['message'],
    consent: { ...base.consent, ...overrides.consent } as PolicyContext['consent'],
    zone: { ...base.zone, ...overrides.zone } as PolicyContext['zone'],
    history: { ...base.history, ...overrides.history } as PolicyContext['history'],
  };
}
