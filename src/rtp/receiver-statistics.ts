/**
 * Per-source reception state of RFC 3550 Appendix A: source validation and extended sequence
 * numbers (A.1), loss figures (A.3), interarrival jitter (A.8) and the LSR/DLSR fields (§6.4.1).
 */
import type { RtcpReportBlock } from './rtcp-types.js';
import { ntpMiddle32, ntpFromMs } from './ntp.js';

const SEQ_MOD = 0x10000;

export interface ReceiverStatisticsOptions {
  /** RTP clock rate of the payload (Hz), for jitter in timestamp units. */
  clockRate: number;
  /** A.1 MIN_SEQUENTIAL: in-order packets needed before a source is valid (2 in the RFC; 1 accepts at once). */
  minSequential?: number;
  /** A.1 MAX_DROPOUT (3000) and MAX_MISORDER (100). */
  maxDropout?: number;
  maxMisorder?: number;
}

/** What `update` concluded about one packet (A.1). */
export type SequenceVerdict = 'valid' | 'probation' | 'jump' | 'restarted';

export class ReceiverStatistics {
  readonly ssrc: number;
  private readonly clockRate: number;
  private readonly minSequential: number;
  private readonly maxDropout: number;
  private readonly maxMisorder: number;
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = SEQ_MOD + 1;
  private probation: number;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit = 0;
  private haveTransit = false;
  private jitterValue = 0;
  private lastSrMiddle = 0;
  private lastSrArrivalMs = 0;

  constructor(ssrc: number, firstSeq: number, opts: ReceiverStatisticsOptions) {
    this.ssrc = ssrc >>> 0;
    this.clockRate = opts.clockRate;
    this.minSequential = opts.minSequential ?? 2;
    this.maxDropout = opts.maxDropout ?? 3000;
    this.maxMisorder = opts.maxMisorder ?? 100;
    // A.1: a new source is put on probation; the first packet is counted by `update`.
    this.initSeq(firstSeq);
    this.maxSeq = (firstSeq - 1) & 0xffff;
    this.probation = this.minSequential;
  }

  private initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /**
   * RFC 3550 A.1 `update_seq` plus A.8 jitter. `arrivalMs` is the local receive time; packets
   * judged 'probation' or 'jump' should not be played (the source is not yet trusted there).
   */
  update(seq: number, rtpTimestamp: number, arrivalMs: number): SequenceVerdict {
    const udelta = (seq - this.maxSeq) & 0xffff;
    let verdict: SequenceVerdict = 'valid';
    if (this.probation > 0) {
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation > 0) return 'probation';
        this.initSeq(seq);
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
        return 'probation';
      }
    } else if (udelta < this.maxDropout) {
      // In order, with permissible gap; a smaller number means the 16-bit space wrapped.
      if (seq < this.maxSeq) this.cycles += SEQ_MOD;
      this.maxSeq = seq;
    } else if (udelta <= SEQ_MOD - this.maxMisorder) {
      // A very large jump: accept only if the next packet confirms it (the sender restarted).
      if (seq !== this.badSeq) {
        this.badSeq = (seq + 1) & 0xffff;
        return 'jump';
      }
      this.initSeq(seq);
      this.haveTransit = false;
      verdict = 'restarted';
    }
    // else: duplicate or reordered packet, counted as received.
    this.received++;
    this.updateJitter(rtpTimestamp, arrivalMs);
    return verdict;
  }

  /** A.8: J += (|D| - J) / 16 with transit times in timestamp units (mod 2^32 arithmetic). */
  private updateJitter(rtpTimestamp: number, arrivalMs: number): void {
    const arrival = Math.floor((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - rtpTimestamp) | 0;
    if (this.haveTransit) {
      let d = (transit - this.transit) | 0;
      if (d < 0) d = -d;
      this.jitterValue += (d - this.jitterValue) / 16;
    }
    this.transit = transit;
    this.haveTransit = true;
  }

  /** Extended highest sequence number received (A.3: cycles + max_seq). */
  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  /** The extended form of `seq` relative to the highest seen (for ordering reordered packets). */
  extendSequence(seq: number): number {
    const delta = ((seq - this.maxSeq + 0x8000) & 0xffff) - 0x8000;
    return this.cycles + this.maxSeq + delta;
  }

  get packetsReceived(): number {
    return this.received;
  }

  /** A.3: expected - received, clamped to the 24-bit signed field of a report block. */
  get cumulativeLost(): number {
    const lost = this.extendedHighestSequence - this.baseSeq + 1 - this.received;
    return Math.max(-0x800000, Math.min(0x7fffff, lost));
  }

  /** Interarrival jitter in timestamp units (A.8). */
  get jitter(): number {
    return this.jitterValue;
  }

  /** Records a sender report from this source (§6.4.1 LSR: the middle 32 bits of its NTP time). */
  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lastSrMiddle = ntpMiddle32(ntpSeconds, ntpFraction);
    this.lastSrArrivalMs = arrivalMs;
  }

  /**
   * A report block for this source as of `nowMs`; advances the interval counters (A.3),
   * so call it once per RTCP report sent.
   */
  makeReportBlock(nowMs: number): RtcpReportBlock {
    const extendedMax = this.extendedHighestSequence;
    const expected = extendedMax - this.baseSeq + 1;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    // §6.4.1 DLSR: delay since the last SR, in units of 1/65536 s; both 0 when no SR was received.
    const haveSr = this.lastSrMiddle !== 0;
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: this.cumulativeLost,
      extendedHighestSequence: extendedMax >>> 0,
      jitter: Math.floor(this.jitterValue) >>> 0,
      lastSenderReport: haveSr ? this.lastSrMiddle : 0,
      delaySinceLastSenderReport: haveSr ? Math.floor(((nowMs - this.lastSrArrivalMs) * 65536) / 1000) >>> 0 : 0,
    };
  }
}

/**
 * §6.4.1 round-trip time from a report block about our own stream: A - LSR - DLSR, where A is
 * the NTP time (middle 32 bits) the report arrived. Milliseconds, or null when no SR was echoed.
 */
export function roundTripTimeMs(block: Pick<RtcpReportBlock, 'lastSenderReport' | 'delaySinceLastSenderReport'>, arrivalWallMs: number): number | null {
  if (block.lastSenderReport === 0) return null;
  const { seconds, fraction } = ntpFromMs(arrivalWallMs);
  const a = ntpMiddle32(seconds, fraction);
  const rtt = (a - block.lastSenderReport - block.delaySinceLastSenderReport) | 0;
  if (rtt < 0) return null;
  return (rtt * 1000) / 65536;
}

/** Extends 32-bit RTP timestamps across wrap into a monotonic-ish number line (serial arithmetic). */
export class TimestampUnwrapper {
  private last = -1;
  private extended = 0;
  unwrap(timestamp: number): number {
    const ts = timestamp >>> 0;
    if (this.last < 0) {
      this.last = ts;
      this.extended = ts;
      return ts;
    }
    const delta = (ts - this.last) | 0;
    const result = this.extended + delta;
    // Only move the reference forward, so a late (older) packet does not drag it back.
    if (delta > 0) {
      this.extended = result;
      this.last = ts;
    }
    return result;
  }
}
