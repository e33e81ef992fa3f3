import { classifyInbound } from '@optline/consent';

/** What the consent module's keyword handling would call this reply (stop, start, help, yes) or null. */
export function classifyReply(body: string): string | null {
  const verdict = classifyInbound(body);
  return verdict.kind === 'none' ? null : verdict.kind;
}
