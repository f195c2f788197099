/**
 * In-band DTMF (ITU-T Q.23): each key is one low-group (row) plus one high-group (column)
 * frequency. Digits are queued and played as tone/pause pairs, continuous across frames.
 */
import { type ToneSpec } from './tone-plan.js';
import { ToneGenerator } from './tones.js';

/** Q.23 low group (rows) and high group (columns), Hz. */
export const DTMF_ROW_HZ: readonly number[] = Object.freeze([697, 770, 852, 941]);
export const DTMF_COLUMN_HZ: readonly number[] = Object.freeze([1209, 1336, 1477, 1633]);
/** Keys in row-major order of the Q.23 keypad. */
export const DTMF_KEYS = '123A456B789C*0#D';

/** The [row, column] frequencies of a key (0-9, *, #, A-D; case-insensitive), or undefined. */
export function dtmfFrequencies(key: string): readonly [number, number] | undefined {
  const i = key.length === 1 ? DTMF_KEYS.indexOf(key.toUpperCase()) : -1;
  return i < 0 ? undefined : [DTMF_ROW_HZ[i >> 2]!, DTMF_COLUMN_HZ[i & 3]!];
}

export interface DtmfGeneratorOptions {
  readonly sampleRate: number;
  /** Tone duration per digit, ms (Q.24 receivers need at least 40). Default 100. */
  readonly toneMs?: number;
  /** Pause after each digit, ms. Default 100. */
  readonly pauseMs?: number;
  /** Low-group level, dBov. Default -10 (about -7 dBm0). */
  readonly rowDbov?: number;
  /** High-group level, dBov; 2 dB above the low group, the usual positive twist. Default -8. */
  readonly columnDbov?: number;
}

/** The tone/pause cadence for a digit string; throws on a key that is not DTMF. */
export function dtmfToneSpec(digits: string, toneMs = 100, pauseMs = 100): ToneSpec {
  const segments = [...digits].flatMap((d) => {
    const f = dtmfFrequencies(d);
    if (!f) throw new RangeError(`not a DTMF key: ${JSON.stringify(d)}`);
    return [
      { ms: toneMs, sound: { frequencies: f } },
      { ms: pauseMs, sound: null },
    ];
  });
  return { segments, repeat: false };
}

export class DtmfGenerator {
  private readonly queue: string[] = [];
  private current: ToneGenerator | null = null;

  constructor(private readonly options: DtmfGeneratorOptions) {}

  /** Queues digits to play after any already queued; throws on a non-DTMF key. */
  send(digits: string): void {
    for (const d of digits) {
      if (!dtmfFrequencies(d)) throw new RangeError(`not a DTMF key: ${JSON.stringify(d)}`);
      this.queue.push(d);
    }
  }

  /** True while digits remain to be played. */
  get busy(): boolean {
    return this.queue.length > 0 || (this.current !== null && !this.current.finished);
  }

  /** Writes `count` samples (silence when idle); returns how many carried digit tone/pause. */
  generate(out: Int16Array, count = out.length): number {
    let written = 0;
    let produced = 0;
    while (written < count) {
      if (!this.current || this.current.finished) {
        const next = this.queue.shift();
        if (next === undefined) {
          out.fill(0, written, count);
          break;
        }
        const o = this.options;
        this.current = new ToneGenerator(dtmfToneSpec(next, o.toneMs ?? 100, o.pauseMs ?? 100), {
          sampleRate: o.sampleRate,
          componentLevelsDbov: [o.rowDbov ?? -10, o.columnDbov ?? -8],
        });
      }
      const n = this.current.generate(out, count - written, written);
      written += n;
      produced += n;
    }
    return produced;
  }
}
