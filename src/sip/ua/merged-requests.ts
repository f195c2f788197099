// Merged-request detection (RFC 3261 §8.2.2.2): a request without To tag whose From tag,
// Call-ID and CSeq match a live server transaction but arrived with another branch reached us
// twice through a forking proxy; the second copy gets 482 (Loop Detected).
import type { SipMessage } from '../message/index.js';
import type { Transaction } from '../transaction/index.js';

const keyOf = (r: SipMessage): string => `${r.fromTag ?? ''}\u0000${r.callId}\u0000${r.cseq}\u0000${r.method}`;

export class MergedRequests {
  /** request key → id of the server transaction that holds it */
  private readonly live = new Map<string, string>();

  /** True when `tx`'s request merges with another live transaction; otherwise records it. */
  isMerged(tx: Transaction<SipMessage>): boolean {
    const key = keyOf(tx.request);
    const held = this.live.get(key);
    if (held !== undefined && held !== tx.id) return true;
    this.live.set(key, tx.id);
    return false;
  }

  /** The transaction ended. */
  forget(tx: Transaction<SipMessage>): void {
    const key = keyOf(tx.request);
    if (this.live.get(key) === tx.id) this.live.delete(key);
  }
}
