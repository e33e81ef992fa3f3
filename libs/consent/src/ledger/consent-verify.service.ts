import { Injectable } from '@nestjs/common';
import { cursorBatches } from '@optline/contacts';
import { GENESIS_HASH, ConsentChainHasher } from './consent-chain';
import { ConsentLedgerRepository, EventRow, toEvent } from './consent-ledger.repository';

export type ChainBreak = 'missing_entry' | 'prev_hash_mismatch' | 'hash_mismatch' | 'phone_mismatch';

export interface ChainVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** The last entry: publish it somewhere else to make truncation of the tail detectable too. */
  head: { seq: string; hash: string } | null;
  /** The first entry that does not verify, and why. */
  firstBroken: { seq: string; id: string | null; reason: ChainBreak; message: string } | null;
}

const MESSAGES: Record<ChainBreak, string> = {
  missing_entry: 'an entry is missing before this one (sequence gap): a row was deleted',
  prev_hash_mismatch: "this entry does not point at its predecessor's hash: an entry before it was removed or replaced",
  hash_mismatch: 'the content of this entry does not match its hash: it was changed after it was written',
  phone_mismatch: 'the phone of this entry is not the number its hash was made from',
};

/** Recomputes a workspace's chain from the first entry, streaming (constant memory). */
@Injectable()
export class ConsentVerifyService {
  constructor(
    private readonly ledger: ConsentLedgerRepository,
    private readonly hasher: ConsentChainHasher,
  ) {}

  async verify(workspaceId: string): Promise<ChainVerification> {
    let expectedSeq = 1n;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    let head: ChainVerification['head'] = null;
    let firstBroken: ChainVerification['firstBroken'] = null;
    const breakAt = (seq: string, id: string | null, reason: ChainBreak) => {
      firstBroken ??= { seq, id, reason, message: MESSAGES[reason] };
    };
    for await (const batch of cursorBatches<EventRow>(this.ledger.dataSource, this.ledger.chainWalkSql(), [workspaceId], 5000)) {
      for (const row of batch) {
        const entry = toEvent(row);
        entries += 1;
        if (!firstBroken) {
          if (BigInt(entry.seq) !== expectedSeq) breakAt(entry.seq, entry.id, 'missing_entry');
          else if (entry.prevHash !== prevHash) breakAt(entry.seq, entry.id, 'prev_hash_mismatch');
          else if (this.hasher.hash(entry, entry.prevHash) !== entry.hash) breakAt(entry.seq, entry.id, 'hash_mismatch');
          else if (entry.phone !== null && this.hasher.phoneHash(entry.phone) !== entry.phoneHash) breakAt(entry.seq, entry.id, 'phone_mismatch');
        }
        expectedSeq = BigInt(entry.seq) + 1n;
        prevHash = entry.hash;
        head = { seq: entry.seq, hash: entry.hash };
      }
    }
    return { ok: firstBroken === null, entries, head, firstBroken };
  }
}
