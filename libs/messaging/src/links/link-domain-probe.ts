import { Injectable } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The path a branded domain answers with its verification token (served by LinkDomainController). */
export const VERIFICATION_PATH = '/.well-known/optline-link-domain';

const TIMEOUT_MS = 5_000;
const MAX_BODY = 1024;

/** Where to open the connection instead of the domain's own address (tests: the hub itself). */
export interface ProbeTarget {
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
}

/**
 * Asks a domain, the way a person's phone will, for the verification path: HTTPS to the domain
 * (its DNS pointing at the hub or at the proxy in front of it), the Host header the domain. The
 * answer is the body, or why there was none.
 */
@Injectable()
export class LinkDomainProbe {
  private target: ProbeTarget | null = null;

  /** Tests: connect here instead of resolving the domain (like curl --resolve); null restores DNS. */
  connectTo(target: ProbeTarget | null): void {
    this.target = target;
  }

  fetchToken(domain: string): Promise<{ ok: true; body: string } | { ok: false; error: string }> {
    const target = this.target ?? { protocol: 'https:' as const, host: domain, port: 443 };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = send(
        { host: target.host, port: target.port, path: VERIFICATION_PATH, method: 'GET', headers: { host: domain, accept: 'text/plain' }, servername: domain, timeout: TIMEOUT_MS },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (body.length < MAX_BODY) body += chunk;
          });
          res.on('end', () => resolve(res.statusCode === 200 ? { ok: true, body: body.trim() } : { ok: false, error: `https://${domain}${VERIFICATION_PATH} answered ${res.statusCode}` }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (error) => resolve({ ok: false, error: `https://${domain}${VERIFICATION_PATH} could not be reached: ${error.message}` }));
      req.end();
    });
  }
}
