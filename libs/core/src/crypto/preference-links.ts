import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';
import { timingSafeEqual } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidBytes(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Signed links to a person's preference page (`/p/:token`), short enough for an SMS: the
 * workspace and contact ids (32 bytes) and a 128-bit keyed-hash signature, base64url. The
 * signature uses the hub's hash key, which outlives encryption-key rotations, so old links keep
 * working. Withdrawal must be as easy as consent: links do not expire.
 */
@Injectable()
export class PreferenceLinks {
  constructor(
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  token(workspaceId: string, contactId: string): string {
    if (!UUID.test(workspaceId) || !UUID.test(contactId)) throw new Error('preference tokens are made of two UUIDs');
    const body = Buffer.concat([uuidBytes(workspaceId), uuidBytes(contactId)]);
    return `${body.toString('base64url')}.${this.signature(body).toString('base64url')}`;
  }

  /** The full URL of the preference page for a contact, to put in a message. */
  urlFor(workspaceId: string, contactId: string): string {
    return `${this.config.publicUrl}/p/${this.token(workspaceId, contactId)}`;
  }

  /**
   * A token or a URL carrying one, safe for a log line: the token changes a person's consent, so
   * only its first 6 characters are kept ("/p/AbCdEf…").
   */
  static mask(tokenOrUrl: string): string {
    return tokenOrUrl.replace(/(\/p\/|^)([A-Za-z0-9_-]{6})[A-Za-z0-9_.-]*/, '$1$2…');
  }

  /** The ids a token names, or null when it is malformed or its signature does not match. */
  verify(token: string): { workspaceId: string; contactId: string } | null {
    const [encoded, signature, extra] = token.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const body = Buffer.from(encoded, 'base64url');
    const given = Buffer.from(signature, 'base64url');
    if (body.length !== 32) return null;
    const expected = this.signature(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { workspaceId: uuidOf(body.subarray(0, 16)), contactId: uuidOf(body.subarray(16)) };
  }

  private signature(body: Buffer): Buffer {
    return Buffer.from(this.box.keyedHash(`optline:preference-link:v1:${body.toString('hex')}`), 'hex').subarray(0, 16);
  }
}
