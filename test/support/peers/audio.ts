// Audio files for peer tests: reference tones made with sox (8 kHz mono S16LE by default), and a
// tone check of a recording using the project's own Goertzel (src/media detectTone) and WAV parser.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { detectTone, parseWav } from '../../../src/media/index.js';
import { findBinary } from './env.js';

export interface ToneWavOptions {
  /** Sine frequencies in Hz (several are mixed). */
  freqs: number[];
  seconds: number;
  sampleRate?: number;
  /** Gain in dB applied after synthesis (default -6, leaves headroom for codecs). */
  gainDb?: number;
}

export function soxAvailable(): boolean {
  return findBinary('sox') !== undefined;
}

/** Writes a 16-bit mono WAV of the given tones with sox. */
export function makeToneWav(path: string, o: ToneWavOptions): string {
  const synth = o.freqs.flatMap((f) => ['sine', String(f)]);
  execFileSync(
    'sox',
    ['-n', '-r', String(o.sampleRate ?? 8000), '-c', '1', '-b', '16', '-e', 'signed-integer', path, 'synth', String(o.seconds), ...synth, 'gain', String(o.gainDb ?? -6)],
    { stdio: 'pipe' },
  );
  return path;
}

export interface WavToneCheck {
  /** detectTone ratio for the best window (0..1: share of the signal's power at the frequency). */
  ratio: number;
  /** RMS of that window, full scale = 32768. */
  rms: number;
  /** Seconds of audio in the file. */
  seconds: number;
  sampleRate: number;
}

/**
 * Measures how strongly `freq` is present in a WAV file (first channel), in windows of
 * `windowS` seconds: returns the strongest window, so leading silence (call setup) does not
 * hide a tone that is there. `ratio` near 1 means a clean tone; > 0.5 is a safe "present".
 */
export function measureToneInWav(path: string, freq: number, windowS = 0.5): WavToneCheck {
  const parsed = parseWav(readFileSync(path));
  if (!parsed.ok) throw new Error(`${path}: not a WAV file we can read: ${parsed.error}`);
  const { sampleRate, channels, samples } = parsed.value;
  const frames = Math.floor(samples.length / channels);
  const mono = new Float64Array(frames);
  for (let i = 0; i < frames; i++) mono[i] = samples[i * channels] as number;
  const win = Math.max(1, Math.floor(windowS * sampleRate));
  let best: WavToneCheck = { ratio: 0, rms: 0, seconds: frames / sampleRate, sampleRate };
  for (let start = 0; start + win <= frames; start += win) {
    const w = mono.subarray(start, start + win);
    const m = detectTone(w, sampleRate, freq);
    let sq = 0;
    for (const s of w) sq += s * s;
    const rms = Math.sqrt(sq / win);
    // Ignore near-silent windows: a ratio on noise-floor samples means nothing.
    if (rms > 100 && m.ratio > best.ratio) best = { ratio: m.ratio, rms, seconds: frames / sampleRate, sampleRate };
  }
  return best;
}
