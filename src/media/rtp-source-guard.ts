import { ReceiverStatistics } from '../rtp/index.js';
import type { DatagramAddress } from './datagram-port.js';

export interface RtpSourceGuardOptions {
  /** Where the peer's RTP comes from, per signalling. */
  remote: DatagramAddress;
  /** NAT latching: packets from the signalled host (any port) that may move `remote` (0 = off). */
  latchPackets: number;
  /** RTP clock of the received payload, for the statistics. */
  clockRate: number;
  /** A (new) source was adopted: its statistics feed RTCP. */
  onAdopt: (stats: ReceiverStatistics) => void;
}

/**
 * Who may send us RTP. Symmetric RTP (RFC 4961): only the signalled address and port, so nobody
 * can inject or hijack the stream by sending first (RTP bleed); latching is opt-in and limited to
 * the signalled host's first packets. A new SSRC plays only after two packets in sequence
 * (RFC 3550 A.1), so a stray packet cannot take over the stream.
 */
export class RtpSourceGuard {
  private current: DatagramAddress;
  private latchLeft: number;
  private ssrc: number | null = null;
  private pending: ReceiverStatistics | null = null;
  stats: ReceiverStatistics | null = null;

  constructor(private readonly o: RtpSourceGuardOptions) {
    this.current = { ...o.remote };
    this.latchLeft = o.latchPackets;
  }

  get remote(): DatagramAddress {
    return this.current;
  }

  /** Whether a datagram from `from` may be RTP/RTCP of this stream (may latch the port). */
  acceptAddress(from: DatagramAddress): boolean {
    if (from.address === this.current.address && from.port === this.current.port) return true;
    if (this.latchLeft > 0 && from.address === this.current.address) {
      this.latchLeft--;
      this.current = { ...from };
      return true;
    }
    return false;
  }

  /** Whether a parsed packet's source is the one we play (adopting a new one after probation). */
  acceptPacket(ssrc: number, seq: number, ts: number, now: number): boolean {
    if (this.stats && this.ssrc === ssrc) {
      const verdict = this.stats.update(seq, ts, now);
      return verdict === 'valid' || verdict === 'restarted';
    }
    const candidate = this.pending?.ssrc === ssrc
      ? this.pending
      : new ReceiverStatistics(ssrc, seq, { clockRate: this.o.clockRate, minSequential: this.ssrc === null ? 1 : 2 });
    if (candidate.update(seq, ts, now) !== 'valid') {
      this.pending = candidate;
      return false;
    }
    this.ssrc = ssrc;
    this.stats = candidate;
    this.pending = null;
    this.o.onAdopt(candidate);
    return true;
  }
}
