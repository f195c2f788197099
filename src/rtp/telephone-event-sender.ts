/**
 * RFC 4733 §2.5.1 sender, sans-I/O: `start` an event, call `tick(now)` once per packetization
 * interval, `stop` when the key is released (or give a duration). Frames carry the RTP marker,
 * timestamp and payload; the stream that sends them assigns sequence numbers.
 */
import type { TelephoneEvent } from './telephone-event.js';

export interface TelephoneEventFrame {
  marker: boolean;
  /** RTP timestamp: the start of the event or of the current segment. */
  timestamp: number;
  payload: TelephoneEvent;
}

export interface TelephoneEventSenderOptions {
  /** RTP clock rate (8000 for telephone-event/8000). */
  clockRate?: number;
  /** Volume as -dBm0 (§2.3.4; 10 is a common default). */
  volume?: number;
  /** Longest segment (§2.5.1.3: 0xFFFF; §2.5.1.3.1 lowers it when RFC 2198 redundancy is used). */
  maxSegmentDuration?: number;
}

interface ActiveEvent {
  event: number;
  /** RTP timestamp and local time at which the current segment began. */
  segmentTimestamp: number;
  segmentStartMs: number;
  endMs: number | null;
  sentAny: boolean;
  lastSent: TelephoneEvent | null;
  /** Copies of the final report sent so far (§2.5.1.4: three in total). */
  finalCopies: number;
  /** Final report of the previous segment still to be repeated, and how often. */
  segmentFinal: TelephoneEventFrame | null;
  segmentRepeats: number;
}

const FINAL_COPIES = 3;

export class TelephoneEventSender {
  private readonly clockRate: number;
  private readonly volume: number;
  private readonly maxSegment: number;
  private active: ActiveEvent | null = null;

  constructor(opts: TelephoneEventSenderOptions = {}) {
    this.clockRate = opts.clockRate ?? 8000;
    this.volume = opts.volume ?? 10;
    this.maxSegment = opts.maxSegmentDuration ?? 0xffff;
  }

  /** True while an event (including its final retransmissions) is being sent. */
  get busy(): boolean {
    return this.active !== null;
  }

  /**
   * Begins `event` at local time `nowMs`, which corresponds to RTP timestamp `rtpTimestamp`.
   * With `durationMs` the event ends by itself; otherwise call `stop`.
   */
  start(event: number, rtpTimestamp: number, nowMs: number, durationMs?: number): void {
    if (this.active) throw new Error('TelephoneEventSender: an event is still being sent');
    if (event < 0 || event > 255) throw new RangeError(`event code ${event}`);
    this.active = {
      event, segmentTimestamp: rtpTimestamp >>> 0, segmentStartMs: nowMs, endMs: durationMs === undefined ? null : nowMs + durationMs,
      sentAny: false, lastSent: null, finalCopies: 0, segmentFinal: null, segmentRepeats: 0,
    };
  }

  /** The key was released at `nowMs`. */
  stop(nowMs: number): void {
    if (this.active && this.active.endMs === null) this.active.endMs = nowMs;
  }

  private units(ms: number): number {
    return Math.round((ms * this.clockRate) / 1000);
  }

  private frame(a: ActiveEvent, duration: number, end: boolean): TelephoneEventFrame {
    // §2.5.1.2: M is set on the first packet of an event only, not on later segments (§2.5.1.3).
    const f = { marker: !a.sentAny, timestamp: a.segmentTimestamp, payload: { event: a.event, end, volume: this.volume, duration } };
    a.sentAny = true;
    a.lastSent = f.payload;
    return f;
  }

  /** Packets due at `nowMs`; call once per packetization interval. */
  tick(nowMs: number): TelephoneEventFrame[] {
    const a = this.active;
    if (!a) return [];
    const out: TelephoneEventFrame[] = [];
    if (a.segmentRepeats > 0 && a.segmentFinal) {
      out.push({ ...a.segmentFinal, payload: { ...a.segmentFinal.payload } });
      a.segmentRepeats--;
    }
    const ended = a.endMs !== null && nowMs >= a.endMs;
    let elapsed = this.units((ended ? a.endMs! : nowMs) - a.segmentStartMs);
    // §2.5.1.3: a segment that reaches the maximum is reported at that maximum without E, then a
    // new segment starts at the timestamp where it ended.
    while (elapsed > this.maxSegment || (elapsed === this.maxSegment && !ended)) {
      const segFinal = this.frame(a, this.maxSegment, false);
      out.push(segFinal);
      a.segmentFinal = segFinal;
      a.segmentRepeats = FINAL_COPIES - 1;
      a.segmentTimestamp = (a.segmentTimestamp + this.maxSegment) >>> 0;
      a.segmentStartMs += (this.maxSegment * 1000) / this.clockRate;
      elapsed -= this.maxSegment;
    }
    if (!ended) {
      if (elapsed > 0 || !a.sentAny) out.push(this.frame(a, elapsed, false));
      return out;
    }
    // §2.5.1.4: the final report goes out three times with the same duration. A report already sent
    // with that duration at the moment the event ended counts as the first copy (RFC Table 5).
    if (a.finalCopies === 0 && a.lastSent && !a.lastSent.end && a.lastSent.duration === elapsed && a.segmentRepeats === 0) a.finalCopies = 1;
    out.push(this.frame(a, elapsed, true));
    a.finalCopies++;
    if (a.finalCopies >= FINAL_COPIES) this.active = null;
    return out;
  }
}
