/**
 * RFC 4733 §2.5.2 receiver, sans-I/O: turns event packets into one 'begin' and one 'end' per
 * event, whatever the duplicates, reordering, lost start or end packets (timeout via `tick`),
 * and joins the segments of long events (§2.5.2.3).
 */
import type { TelephoneEvent } from './telephone-event.js';

export type TelephoneEventNotice =
  | { type: 'begin'; event: number; timestamp: number }
  | { type: 'end'; event: number; timestamp: number; duration: number; reason: 'end-bit' | 'timeout' | 'next-event' };

export interface TelephoneEventReceiverOptions {
  /** An event with no packet for this long is ended (§2.5.2.2: a tone must not get stuck). */
  timeoutMs?: number;
}

interface CurrentEvent {
  event: number;
  /** Timestamp of the first segment: identifies the event in notices. */
  timestamp: number;
  segmentTimestamp: number;
  segmentDuration: number;
  earlierSegments: number;
  lastPacketMs: number;
}

export class TelephoneEventReceiver {
  private readonly timeoutMs: number;
  private current: CurrentEvent | null = null;
  /** Segment timestamp of the most recent event that ended; older or equal reports are stale. */
  private lastEnded: number | null = null;

  constructor(opts: TelephoneEventReceiverOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 200;
  }

  /** Forgets all state (e.g. on a new SSRC, whose timestamps start elsewhere). */
  reset(): void {
    this.current = null;
    this.lastEnded = null;
  }

  private finish(reason: 'end-bit' | 'timeout' | 'next-event'): TelephoneEventNotice {
    const c = this.current!;
    this.current = null;
    this.lastEnded = c.segmentTimestamp;
    return { type: 'end', event: c.event, timestamp: c.timestamp, duration: c.earlierSegments + c.segmentDuration, reason };
  }

  /** One received telephone-event packet (RTP timestamp and marker, parsed payload) at `nowMs`. */
  receive(timestamp: number, marker: boolean, ev: TelephoneEvent, nowMs: number): TelephoneEventNotice[] {
    const ts = timestamp >>> 0;
    const out: TelephoneEventNotice[] = [];
    const c = this.current;
    if (c && ts === c.segmentTimestamp) {
      if (ev.event !== c.event) return out; // contradicts the event in progress: ignore
      if (ev.duration > c.segmentDuration) c.segmentDuration = ev.duration;
      c.lastPacketMs = nowMs;
      if (ev.end) out.push(this.finish('end-bit'));
      return out;
    }
    // Serial-number comparison: reports at or before an ended event or the current one are
    // duplicates or reordered stragglers of events already reported.
    if (this.lastEnded !== null && ((ts - this.lastEnded) | 0) <= 0) return out;
    if (c && ((ts - c.segmentTimestamp) | 0) < 0) return out;
    if (c) {
      // §2.5.2.3: the same event continuing right where a 0xFFFF segment ended is one long event.
      const continues = !marker && ev.event === c.event && c.segmentDuration === 0xffff && ((ts - c.segmentTimestamp) >>> 0) === 0xffff;
      if (continues) {
        c.earlierSegments += c.segmentDuration;
        c.segmentTimestamp = ts;
        c.segmentDuration = ev.duration;
        c.lastPacketMs = nowMs;
        if (ev.end) out.push(this.finish('end-bit'));
        return out;
      }
      // §2.5.2.2: a different timestamp means the next event; the previous one is over.
      out.push(this.finish('next-event'));
    }
    // A report without M for an event not yet seen means its first packets were lost (§2.5.2.2);
    // it is still reported, once.
    this.current = { event: ev.event, timestamp: ts, segmentTimestamp: ts, segmentDuration: ev.duration, earlierSegments: 0, lastPacketMs: nowMs };
    out.push({ type: 'begin', event: ev.event, timestamp: ts });
    if (ev.end) out.push(this.finish('end-bit'));
    return out;
  }

  /** Ends an event whose packets stopped coming (all end packets lost). Call periodically. */
  tick(nowMs: number): TelephoneEventNotice[] {
    if (this.current && nowMs - this.current.lastPacketMs >= this.timeoutMs) return [this.finish('timeout')];
    return [];
  }

  /** The event being received, if any. */
  get activeEvent(): number | null {
    return this.current?.event ?? null;
  }
}
