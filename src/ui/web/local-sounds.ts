// Sounds the page makes itself: keypad DTMF tones (ITU-T Q.23 pairs) and the ringtone. They go
// through the playback node, so the volume control and the test tap see them too.
const ROWS = [697, 770, 852, 941];
const COLS = [1209, 1336, 1477, 1633];
const KEYS = ['123A', '456B', '789C', '*0#D'];

export function dtmfPair(key: string): [number, number] | undefined {
  for (let r = 0; r < 4; r++) {
    const c = KEYS[r]!.indexOf(key);
    if (c >= 0) return [ROWS[r]!, COLS[c]!];
  }
  return undefined;
}

export class LocalSounds {
  private ringTimer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly context: AudioContext, private readonly bus: AudioNode) {}

  /** Plays the key's two tones for `ms` (-10 dBFS each, with 5 ms ramps against clicks). */
  dtmf(key: string, ms = 120): void {
    const pair = dtmfPair(key);
    if (pair === undefined) return;
    this.burst(pair, ms, 0.3);
  }

  /** A two-tone warble, 1 s on / 2 s off, until stopRinging. */
  startRinging(): void {
    if (this.ringTimer !== undefined) return;
    const ring = (): void => {
      for (let i = 0; i < 20; i++) setTimeout(() => this.burst([i % 2 ? 480 : 440, i % 2 ? 620 : 560], 50, 0.2), i * 50);
    };
    ring();
    this.ringTimer = setInterval(ring, 3000);
  }

  stopRinging(): void {
    clearInterval(this.ringTimer);
    this.ringTimer = undefined;
  }

  private burst(freqs: readonly number[], ms: number, level: number): void {
    const t = this.context.currentTime;
    const end = t + ms / 1000;
    const gain = this.context.createGain();
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime(level, t + 0.005);
    gain.gain.setValueAtTime(level, end - 0.005);
    gain.gain.linearRampToValueAtTime(0, end);
    gain.connect(this.bus);
    for (const f of freqs) {
      const o = this.context.createOscillator();
      o.frequency.value = f;
      o.connect(gain);
      o.start(t);
      o.stop(end);
      o.onended = () => gain.disconnect();
    }
  }
}
