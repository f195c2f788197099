/** A tone as a microphone: call-progress tones, test tones, DTMF strings played as audio. */
import { err, ok } from '../util/index.js';
import type { AudioDeviceDescriptor, AudioSource } from './audio-device.js';
import { continuous, sound, type ToneSpec } from './tone-plan.js';
import { ToneGenerator, type ToneGeneratorOptions } from './tones.js';

export class ToneSource implements AudioSource {
  readonly sampleRate: number;
  private readonly generator: ToneGenerator;

  constructor(spec: ToneSpec, options: ToneGeneratorOptions) {
    this.sampleRate = options.sampleRate;
    this.generator = new ToneGenerator(spec, options);
  }

  /** False once a non-repeating spec has played out (the frame holding its end still says true). */
  read(out: Int16Array): boolean {
    if (this.generator.finished) {
      out.fill(0);
      return false;
    }
    this.generator.generate(out);
    return true;
  }

  async close(): Promise<void> {}
}

/**
 * `tone:<hz>[+<hz>...][@<dBov>]`, e.g. target '1000' or '350+440@-13': a continuous tone, for
 * checking a line end to end without a file.
 */
export const toneAudioDevice: AudioDeviceDescriptor = {
  name: 'tone',
  description: 'a continuous test tone: target "<hz>[+<hz>...][@<dBov>]"',
  async openSource(o) {
    const [freqs = '', level] = o.target.split('@');
    const hz = freqs.split('+').map(Number);
    const dbov = level === undefined ? -16 : Number(level);
    if (hz.some((f) => !(f > 0 && f < o.sampleRate / 2))) return err(`tone target ${JSON.stringify(o.target)}: frequencies must be between 0 and ${o.sampleRate / 2} Hz`);
    if (!(dbov <= 0)) return err(`tone target ${JSON.stringify(o.target)}: level must be a dBov value ≤ 0`);
    return ok(new ToneSource(continuous(sound(...hz)), { sampleRate: o.sampleRate, levelDbov: dbov }));
  },
};
