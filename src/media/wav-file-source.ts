/**
 * A WAV file as a microphone (`--play file.wav`): read whole at open, mixed down to mono and
 * resampled to the call's rate once, then handed out frame by frame, looping or ending.
 */
import { readFile } from 'node:fs/promises';
import { downmixToMono, resampleLinear } from '../codecs/index.js';
import { err, ok, type Result } from '../util/index.js';
import type { AudioSource } from './audio-device.js';
import { parseWav, type WavAudio } from './wav.js';

export interface WavFileSourceOptions {
  /** The rate frames are wanted at. */
  readonly sampleRate: number;
  /** Start over when the file ends (default false: silence and `read` returns false). */
  readonly loop?: boolean;
}

export class WavFileSource implements AudioSource {
  readonly sampleRate: number;
  /** The file's audio as played: mono at `sampleRate`. */
  readonly samples: Int16Array;
  private readonly loop: boolean;
  private position = 0;

  constructor(audio: WavAudio, options: WavFileSourceOptions) {
    this.sampleRate = options.sampleRate;
    this.loop = options.loop ?? false;
    const mono = audio.channels === 1 ? audio.samples : downmixToMono(audio.samples, audio.channels);
    this.samples = resampleLinear(mono, audio.sampleRate, options.sampleRate);
  }

  /** Reads and parses `path`; a missing or malformed file is an `err` naming the file. */
  static async open(path: string, options: WavFileSourceOptions): Promise<Result<WavFileSource>> {
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (e) {
      return err(`${path}: ${(e as Error).message}`);
    }
    const wav = parseWav(buf);
    if (!wav.ok) return err(`${path}: ${wav.error}`);
    return ok(new WavFileSource(wav.value, options));
  }

  /** True when the file has been played out (never, when looping a non-empty file). */
  get ended(): boolean {
    return this.position >= this.samples.length && !(this.loop && this.samples.length > 0);
  }

  read(out: Int16Array): boolean {
    const s = this.samples;
    if (this.ended) {
      out.fill(0);
      return false;
    }
    let i = 0;
    while (i < out.length) {
      if (this.position >= s.length) {
        if (!this.loop) break;
        this.position = 0;
      }
      const n = Math.min(out.length - i, s.length - this.position);
      out.set(s.subarray(this.position, this.position + n), i);
      i += n;
      this.position += n;
    }
    out.fill(0, i);
    return true;
  }

  /** Back to the start. */
  rewind(): void {
    this.position = 0;
  }

  async close(): Promise<void> {}
}
