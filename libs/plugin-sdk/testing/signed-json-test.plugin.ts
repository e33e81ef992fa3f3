import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { invalidField } from '@optline/core';
import { IsOptional, IsString, IsUrl, MinLength } from 'class-validator';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CanonicalEvent,
  ConsentWriteback,
  InstallationContext,
  LifecycleResult,
  OptlinePlugin,
  PayloadError,
  PluginRequest,
  Secret,
  VerifyResult,
} from '../src';

/** A tiny plugin for the SDK's own tests and an example of the contract: HMAC-signed JSON events. */
export class SignedJsonTestConfig {
  @ApiProperty({ example: 'Test shop' })
  @IsString()
  @MinLength(1)
  label: string;

  @ApiProperty({ example: 'a-long-signing-secret', description: 'Signs each delivery (X-Test-Signature: hex HMAC-SHA256 of the body)' })
  @IsString()
  @MinLength(12)
  @Secret()
  secret: string;

  @ApiPropertyOptional({ example: 'http://127.0.0.1:4010/optouts', description: 'Where consent changes are written back' })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  writebackUrl?: string;
}

export function signTestBody(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

interface WireEvent {
  id: string;
  type: string;
  at: string;
  phone?: string;
  customerId?: string;
  token?: string;
  consent?: 'opted_in' | 'opted_out';
  data?: Record<string, unknown>;
}

export class SignedJsonTestPlugin implements OptlinePlugin<SignedJsonTestConfig> {
  readonly id = 'test-signed-json';
  readonly name = 'Signed JSON (test)';
  readonly description = 'Receives HMAC-signed JSON events; used by the SDK tests.';
  readonly emits = ['order.created', 'checkout.updated', 'contact.updated'] as const;
  readonly configClass = SignedJsonTestConfig;
  readonly ingress = { maxBodyBytes: 4096 };
  readonly enabled: string[] = [];
  readonly disabled: string[] = [];

  verify(request: PluginRequest, installation: InstallationContext<SignedJsonTestConfig>): VerifyResult {
    const given = Buffer.from(request.headers['x-test-signature'] ?? '', 'hex');
    const expected = Buffer.from(signTestBody(installation.config.secret, request.rawBody.toString('utf8')), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'X-Test-Signature does not match the body' };
  }

  toEvents(request: PluginRequest): CanonicalEvent[] {
    let body: { events?: WireEvent[] };
    try {
      body = JSON.parse(request.rawBody.toString('utf8')) as { events?: WireEvent[] };
    } catch {
      throw new PayloadError('the body is not JSON');
    }
    if (!Array.isArray(body.events)) throw new PayloadError('events must be an array', 'events');
    return body.events.map((e, i): CanonicalEvent => {
      if (typeof e.id !== 'string') throw new PayloadError('id must be a string', `events[${i}].id`);
      return {
        type: e.type as CanonicalEvent['type'],
        dedupeKey: e.id,
        occurredAt: new Date(e.at),
        contact: { phone: e.phone ?? null, ...(e.customerId && { externalId: { source: 'test', id: e.customerId } }) },
        ...(e.consent && { consent: { types: ['marketing' as const], state: e.consent, evidence: { via: 'test' }, source: 'api' as const } }),
        correlation: e.token ? { checkoutToken: e.token } : {},
        data: e.data ?? {},
      };
    });
  }

  async onEnable(installation: InstallationContext<SignedJsonTestConfig>): Promise<LifecycleResult> {
    if (installation.config.label === 'refuse') throw invalidField('config.label', 'the remote system refused this account');
    this.enabled.push(installation.id);
    return { state: { webhookId: `wh_${installation.id.slice(0, 8)}` } };
  }

  async onDisable(installation: InstallationContext<SignedJsonTestConfig>): Promise<void> {
    this.disabled.push(installation.id);
  }

  async onConsentChanged(change: ConsentWriteback, installation: InstallationContext<SignedJsonTestConfig>): Promise<void> {
    if (!installation.config.writebackUrl) return;
    const res = await fetch(installation.config.writebackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contactId: change.contactId, externalIds: change.externalIds, type: change.messageType, state: change.state }),
    });
    if (!res.ok) throw new Error(`the remote system answered ${res.status}`);
  }
}
