import type { ReplyRoute } from '../definition/flow-definition';

export interface InboundReply {
  body: string;
  /** What keyword handling made of it (stop, start, help, yes, no) or null. */
  keyword: string | null;
}

const YES = /^(y|yes|yep|yeah|si|sí|ok|okay|confirm)[.!]*$/i;
const NO = /^(n|no|nope|nah)[.!]*$/i;

function normalise(body: string): string {
  return body.trim().replace(/\s+/g, ' ');
}

/**
 * Picks the route a reply takes. Order of precedence: an opt-out (STOP and its synonyms, as
 * classified by the consent module), an exact keyword, YES, NO, then `any`. A reply no route
 * takes leaves the run waiting.
 */
export function matchReply(routes: ReplyRoute[], reply: InboundReply): ReplyRoute | null {
  const text = normalise(reply.body);
  const keyword = reply.keyword?.toLowerCase() ?? null;
  const find = (kind: ReplyRoute['reply'], test: () => boolean) => (test() ? routes.find((r) => r.reply === kind) : undefined);
  return (
    find('stop', () => keyword === 'stop') ??
    routes.find((r) => r.reply === 'keyword' && r.keyword !== undefined && r.keyword.trim().toLowerCase() === text.toLowerCase()) ??
    find('yes', () => keyword === 'yes' || YES.test(text)) ??
    find('no', () => keyword === 'no' || NO.test(text)) ??
    (keyword === 'stop' ? undefined : routes.find((r) => r.reply === 'any')) ??
    null
  );
}
