// Binary WebSocket frames carrying audio between the page and the engine. Shared by the server
// and the page (src/ui/web imports this file), so it uses only DataView/typed arrays.
//
// Layout (little-endian): u32 sequence | u32 reserved (0) | f64 time (epoch ms) | s16 PCM samples.
// The page stamps `time` when the frame's last sample was captured; the engine stamps its reply
// with the moment it sent it. The engine answers microphone frame N with speaker frame N.

export const AUDIO_FRAME_HEADER_SIZE = 16;
/** The page's AudioContext rate: wideband, so the engine can resample to 8 kHz for G.711. */
export const AUDIO_SAMPLE_RATE = 16000;
/** 20 ms frames. */
export const AUDIO_FRAME_SAMPLES = 320;

export interface AudioFrame {
  readonly sequence: number;
  readonly timeMs: number;
  readonly samples: Int16Array;
}

export type AudioFrameParse = { readonly ok: true; readonly value: AudioFrame } | { readonly ok: false; readonly error: string };

export function sizeOfAudioFrame(frame: AudioFrame): number {
  return AUDIO_FRAME_HEADER_SIZE + frame.samples.length * 2;
}

export function writeAudioFrame(frame: AudioFrame, buf: Uint8Array, offset = 0): number {
  const size = sizeOfAudioFrame(frame);
  if (buf.length - offset < size) throw new RangeError('writeAudioFrame: buffer too small');
  const view = new DataView(buf.buffer, buf.byteOffset + offset, size);
  view.setUint32(0, frame.sequence >>> 0, true);
  view.setUint32(4, 0, true);
  view.setFloat64(8, frame.timeMs, true);
  for (let i = 0; i < frame.samples.length; i++) view.setInt16(AUDIO_FRAME_HEADER_SIZE + i * 2, frame.samples[i]!, true);
  return size;
}

/** Parses one frame; the sample count must be `expectedSamples` (peer input never throws). */
export function parseAudioFrame(buf: Uint8Array, offset: number, expectedSamples: number): AudioFrameParse {
  const length = buf.length - offset;
  if (length < AUDIO_FRAME_HEADER_SIZE) return { ok: false, error: `frame of ${length} bytes is shorter than its ${AUDIO_FRAME_HEADER_SIZE}-byte header` };
  if (length !== AUDIO_FRAME_HEADER_SIZE + expectedSamples * 2) {
    return { ok: false, error: `frame carries ${(length - AUDIO_FRAME_HEADER_SIZE) / 2} samples, expected ${expectedSamples}` };
  }
  const view = new DataView(buf.buffer, buf.byteOffset + offset, length);
  const samples = new Int16Array(expectedSamples);
  for (let i = 0; i < expectedSamples; i++) samples[i] = view.getInt16(AUDIO_FRAME_HEADER_SIZE + i * 2, true);
  return { ok: true, value: { sequence: view.getUint32(0, true), timeMs: view.getFloat64(8, true), samples } };
}
