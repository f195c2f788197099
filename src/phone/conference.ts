// Local 3-way conference: we talk to two calls at once and each peer hears us plus the other
// peer. Mixing is a saturating sum per 20 ms tick: each call's pump sends our frame plus the
// other call's last received frame; our own source is read once per tick and shared.
import type { Clock } from '../util/index.js';
import type { Call } from './call.js';
import { setHold } from './hold.js';
import { silence, type CallAudioSource } from './call-audio.js';
import { TICK_MS } from './audio-pump.js';

export class Conference {
  private frame = new Int16Array(160);
  private frameTick = -1;
  private source: CallAudioSource;

  constructor(private readonly clock: Clock, readonly calls: readonly [Call, Call]) {
    // Our voice: the first call's source (the second one's is set aside while merged).
    this.source = calls[0].pump.source;
    for (const c of calls) if (c.held.local) setHold(c, false);
    const [a, b] = calls;
    a.pump.mixIn = () => b.pump.lastRemote;
    b.pump.mixIn = () => a.pump.lastRemote;
    for (const c of calls) {
      c.pump.localFrame = () => this.localFrame(c.sampleRate);
      c.once('ended', () => this.split());
    }
  }

  /** Our frame for this tick, read once for both calls. */
  private localFrame(rate: number): Int16Array {
    const tick = Math.floor(this.clock.now() / TICK_MS);
    const n = (rate * TICK_MS) / 1000;
    if (tick !== this.frameTick || this.frame.length !== n) {
      if (this.frame.length !== n) this.frame = new Int16Array(n);
      if (!this.source.read(this.frame, rate)) this.source = silence;
      this.frameTick = tick;
    }
    return this.frame;
  }

  /** Back to two separate calls (each keeps talking to us alone). */
  split(): void {
    for (const c of this.calls) {
      c.pump.mixIn = undefined;
      c.pump.localFrame = undefined;
    }
    this.calls[0].pump.source = this.source;
  }
}
