import { Injectable } from '@nestjs/common';

/** An inbound text as a claimant sees it, before it is stored as held or received. */
export interface InboundText {
  workspaceId: string;
  contactId: string;
  body: string;
}

/**
 * A part of the hub that may take an inbound text as an answer (a flow run waiting for a reply, a
 * flow triggered by a keyword such as JOIN). A taken text is not a conversation opener: it is not
 * held behind an opt-in request, and the inbox shows it as the flow's.
 */
export interface InboundClaimant {
  readonly name: string;
  claims(text: InboundText): Promise<boolean>;
}

/** Claimants register here (flows does, at module init); messaging never imports them. */
@Injectable()
export class InboundClaimants {
  private readonly claimants: InboundClaimant[] = [];

  register(claimant: InboundClaimant): void {
    this.claimants.push(claimant);
  }

  /** The name of the first claimant that takes the text, or null. */
  async claimedBy(text: InboundText): Promise<string | null> {
    for (const claimant of this.claimants) {
      if (await claimant.claims(text)) return claimant.name;
    }
    return null;
  }
}
