import type { Clock, TimerHandle } from '../util/index.js';
import { DTMF_FLASH, dtmfEventCode, TelephoneEventSender, type TelephoneEventFrame } from '../rtp/index.js';

export interface DtmfEventSchedulerOptions {
  clock: Clock;
  /** Packetization interval of the event packets (the stream's ptime). */
  ptimeMs: number;
  /** The stream's current RTP timestamp: an event starts where the audio is. */
  timestamp: () => number;
  send: (frame: TelephoneEventFrame) => void;
}

/**
 * Plays queued DTMF keys as RFC 4733 events one after another (§2.5.1): a start packet with the
 * marker, an update every ptime, three final packets, then a gap before the next key. While it
 * holds the line the stream sends no audio.
 */
export class DtmfEventScheduler {
  private readonly sender = new TelephoneEventSender();
  private readonly keys: { event: number; durationMs: number; gapMs: number }[] = [];
  private timer: TimerHandle | null = null;
  private idleUntil = 0;

  constructor(private readonly o: DtmfEventSchedulerOptions) {}

  /** True while an event is being sent or its gap runs. */
  get holdsAudio(): boolean {
    return this.sender.busy || this.o.clock.now() < this.idleUntil;
  }

  /** Queues keys ('0'-'9', '*', '#', 'A'-'D', '!' = flash); false (nothing queued) on an invalid key. */
  queue(keys: string, durationMs: number, gapMs: number): boolean {
    const events = [...keys].map(dtmfEventCode);
    if (events.some((e) => e === undefined)) return false;
    // A hook flash is a longer event (RFC 4733 Table 8: typically 500 ms).
    for (const event of events) this.keys.push({ event: event!, durationMs: event === DTMF_FLASH ? 500 : durationMs, gapMs });
    if (!this.timer) this.tick();
    return true;
  }

  private tick(): void {
    this.timer = null;
    const now = this.o.clock.now();
    if (!this.sender.busy && now >= this.idleUntil) {
      const next = this.keys.shift();
      if (!next) return;
      this.sender.start(next.event, this.o.timestamp(), now, next.durationMs);
      this.idleUntil = now + next.durationMs + next.gapMs;
    } else {
      // The first report goes out one interval after the start: RFC 4733 §2.3.5 forbids a zero
      // duration for events that are not states.
      for (const f of this.sender.tick(now)) this.o.send(f);
    }
    this.timer = this.o.clock.setTimer(this.o.ptimeMs, () => this.tick());
  }

  close(): void {
    if (this.timer) this.o.clock.clearTimer(this.timer);
    this.timer = null;
    this.keys.length = 0;
  }
}
