// Speaker side: a small jitter buffer of engine frames, mixed with the page's local sounds
// (keypad tones, ringtone) that arrive on the node's input. A test tap can copy out everything rendered.
// Latency test hook (off unless the page asks, see AudioPath.setLatencyMarkers): the start of a
// loud burst after a quiet stretch in the engine's audio is reported with the wall clock of the
// moment it is rendered, so the benchmark can time a marker it sent in RTP.
//
// How deep the buffer must be: the engine answers each microphone frame with one speaker frame,
// so frames arrive one round trip after the capture worklet posted the microphone frame, in the
// pattern the render quanta (8 ms at 16 kHz) cut 20 ms frames into (16/24 ms apart, more when the
// audio thread runs quanta in bursts). Playing starts at PREBUFFER; input and output then run on
// the same sound-card clock, so whatever the queue never falls below over a window is surplus
// delay: all but KEEP of it is skipped, with a short crossfade so the cut does not click.
const PREBUFFER = 480; // 30 ms at 16 kHz: start (and restart after an underrun) here
const KEEP = 160; // 10 ms: the least left queued between frames, against round-trip jitter
const MAX_QUEUED = 2560; // 160 ms: beyond this the oldest audio is dropped to bound the delay
const WINDOW = 8000; // 0.5 s over which the lowest queue depth is watched
const MIN_SKIP = 32; // 2 ms: smaller surpluses are left alone
const FADE = 32; // 2 ms crossfade across a skip
/** Marker onset: a sample above this level after at least ONSET_QUIET quiet samples. */
const ONSET_LEVEL = 8000;
const ONSET_QUIET = 1600; // 100 ms

/** Wall-clock ms on the same scale as Node's performance.timeOrigin + performance.now(). */
const onsetWallNow = (): number => (globalThis.performance === undefined ? Date.now() : performance.timeOrigin + performance.now());

interface QueuedFrame {
  sequence: number;
  samples: Int16Array;
  read: number;
}

class PlaybackProcessor extends AudioWorkletProcessor {
  private queue: QueuedFrame[] = [];
  private queued = 0;
  private playing = false;
  private gain = 1;
  private tap: Float32Array[] | undefined;
  private underruns = 0;
  private windowLeft = WINDOW;
  private windowMin = Infinity;
  /** Samples skipped to trim a standing surplus. */
  private skipped = 0;
  /** The samples a skip jumped over, faded out under the samples after it. */
  private fadeOut = new Int16Array(FADE);
  private fadeAt = FADE;
  private markers = false;
  private quiet = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; sequence?: number; samples?: Int16Array; gain?: number; on?: boolean };
      if (m.type === 'frame') {
        this.queue.push({ sequence: m.sequence!, samples: m.samples!, read: 0 });
        this.queued += m.samples!.length;
        while (this.queued > MAX_QUEUED) this.queued -= this.queue.shift()!.samples.length;
      } else if (m.type === 'gain') this.gain = m.gain!;
      else if (m.type === 'markers') this.markers = m.on === true;
      else if (m.type === 'tap-start') this.tap = [];
      else if (m.type === 'tap-read') {
        this.port.postMessage({ type: 'tap', chunks: this.tap ?? [], underruns: this.underruns, skipped: this.skipped });
        this.tap = [];
      } else if (m.type === 'reset') {
        this.queue = [];
        this.queued = 0;
        this.playing = false;
        this.fadeAt = FADE;
      }
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    const local = inputs[0]?.[0];
    if (!this.playing && this.queued >= PREBUFFER) this.playing = true;
    for (let i = 0; i < out.length; i++) {
      let s = 0;
      if (this.playing) {
        const f = this.queue[0];
        if (f === undefined) {
          // Underrun: play silence and build the cushion up again.
          this.playing = false;
          this.underruns++;
        } else {
          if (f.read === 0) this.port.postMessage({ type: 'rendering', sequence: f.sequence, contextTime: currentTime + i / sampleRate });
          let v = f.samples[f.read++]!;
          if (this.fadeAt < FADE) {
            const w = (this.fadeAt + 1) / (FADE + 1);
            v = Math.round(this.fadeOut[this.fadeAt++]! * (1 - w) + v * w);
          }
          if (this.markers) this.watchMarker(v, i);
          s = v / 0x8000;
          this.queued--;
          if (f.read === f.samples.length) this.queue.shift();
        }
      }
      out[i] = (s + (local === undefined ? 0 : local[i]!)) * this.gain;
    }
    if (this.playing) this.trimBacklog(out.length);
    for (let c = 1; c < outputs[0]!.length; c++) outputs[0]![c]!.set(out);
    this.tap?.push(out.slice());
    return true;
  }

  private watchMarker(v: number, i: number): void {
    if (Math.abs(v) < ONSET_LEVEL) {
      this.quiet++;
      return;
    }
    if (this.quiet >= ONSET_QUIET) this.port.postMessage({ type: 'marker', renderedAt: onsetWallNow() + (i * 1000) / sampleRate, contextTime: currentTime + i / sampleRate });
    this.quiet = 0;
  }

  private trimBacklog(rendered: number): void {
    this.windowMin = Math.min(this.windowMin, this.queued);
    this.windowLeft -= rendered;
    if (this.windowLeft > 0) return;
    const surplus = this.windowMin - KEEP;
    if (surplus >= MIN_SKIP && this.fadeAt === FADE) this.skip(surplus);
    this.windowLeft = WINDOW;
    this.windowMin = Infinity;
  }

  /** Skips `n` queued samples (fewer than are queued); the next FADE samples fade in over the skipped ones. */
  private skip(n: number): void {
    this.take(this.fadeOut, FADE);
    this.take(undefined, n - FADE);
    this.fadeAt = 0;
    this.skipped += n;
  }

  /** Consumes `n` samples from the queue, copying them to `into` when given. */
  private take(into: Int16Array | undefined, n: number): void {
    for (let k = 0; k < n; k++) {
      const f = this.queue[0]!;
      if (into !== undefined) into[k] = f.samples[f.read]!;
      f.read++;
      this.queued--;
      if (f.read === f.samples.length) this.queue.shift();
    }
  }
}

registerProcessor('handset-playback', PlaybackProcessor);
