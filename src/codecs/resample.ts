/**
 * Simple sample-rate conversion for file playback (a WAV at 44.1 kHz into an 8 kHz call):
 * linear interpolation; when decimating, each output sample is a triangle-weighted average of
 * the input within one output period either side (a cheap anti-alias filter: about -0.5 dB at
 * 1 kHz and -5 dB at 3.4 kHz going 44.1 → 8 kHz, -30 dB and more near the input's top end).
 * Not for the real-time path of a wideband codec: that needs a proper polyphase filter.
 */

/** Converts interleaved 16-bit PCM from `fromRate` to `toRate`. */
export function resampleLinear(input: Int16Array, fromRate: number, toRate: number, channels = 1): Int16Array {
  if (!(fromRate > 0 && toRate > 0 && channels >= 1)) throw new RangeError(`bad resample ${fromRate}→${toRate}/${channels}`);
  const frames = Math.floor(input.length / channels);
  if (fromRate === toRate) return input.slice(0, frames * channels);
  const outFrames = Math.floor((frames * toRate) / fromRate);
  const out = new Int16Array(outFrames * channels);
  const step = fromRate / toRate;
  for (let c = 0; c < channels; c++) {
    const at = (i: number): number => input[Math.min(frames - 1, Math.max(0, i)) * channels + c]!;
    for (let o = 0; o < outFrames; o++) {
      const t = o * step;
      let v: number;
      if (step > 1) {
        // Weights 1 - |i - t| / step over (t - step, t + step), clipped to the signal.
        const lo = Math.max(0, Math.floor(t - step) + 1);
        const hi = Math.min(frames - 1, Math.ceil(t + step) - 1);
        let sum = 0;
        let weights = 0;
        for (let i = lo; i <= hi; i++) {
          const w = 1 - Math.abs(i - t) / step;
          sum += w * at(i);
          weights += w;
        }
        v = weights > 0 ? sum / weights : at(Math.round(t));
      } else {
        const i = Math.floor(t);
        const f = t - i;
        v = at(i) * (1 - f) + at(i + 1) * f;
      }
      out[o * channels + c] = Math.round(v);
    }
  }
  return out;
}

/** Averages interleaved channels into mono. */
export function downmixToMono(input: Int16Array, channels: number): Int16Array {
  if (channels === 1) return input.slice();
  const frames = Math.floor(input.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += input[f * channels + c]!;
    out[f] = Math.round(sum / channels);
  }
  return out;
}
