/**
 * Audio devices: where a call's audio comes from (`AudioSource`: a microphone, a file, a tone, a
 * bot) and where it goes (`AudioSink`: a speaker, a recording, a bot). Devices are plain objects
 * opened through descriptors (`AudioDeviceDescriptor`) that the composition root registers;
 * importing a device module opens nothing and starts no process.
 *
 * Frames are mono 16-bit PCM at the device's `sampleRate`; the consumer decides the frame length
 * (one ptime, usually 20 ms). Peer-ish input (files, pipes, iterators) never throws out of
 * `read`/`write`: a failing device goes quiet and reports through `error`.
 */
import { resampleLinear } from '../codecs/index.js';
import type { Result } from '../util/index.js';

export interface AudioSource {
  readonly sampleRate: number;
  /**
   * Fills all of `out` with the next samples. Returns false once the source has nothing more to
   * give (a file played out, an iterator finished): `out` is then silence (or the file's tail
   * followed by silence). A live source that underruns returns true with silence.
   */
  read(out: Int16Array): boolean;
  /** Releases files, processes and iterators. Idempotent. */
  close(): Promise<void>;
}

export interface AudioSink {
  readonly sampleRate: number;
  /** Takes one frame; the sink copies what it keeps. Never blocks, never throws. */
  write(frame: Int16Array): void;
  /** Flushes and releases. Idempotent. */
  close(): Promise<void>;
}

export interface AudioSourceOptions {
  /** Device-specific target: a file path, a PulseAudio source name ('' = default). */
  readonly target: string;
  /** The rate the consumer wants frames at (the call's rate). */
  readonly sampleRate: number;
  /** Start over at the end (files). */
  readonly loop?: boolean;
}

export interface AudioSinkOptions {
  readonly target: string;
  readonly sampleRate: number;
}

/** One kind of device, registered at the composition root. */
export interface AudioDeviceDescriptor {
  /** Short name used in settings and on the command line: 'wav', 'null', 'pulse'. */
  readonly name: string;
  readonly description: string;
  openSource?(options: AudioSourceOptions): Promise<Result<AudioSource>>;
  openSink?(options: AudioSinkOptions): Promise<Result<AudioSink>>;
}

export interface AudioDeviceRegistry {
  readonly devices: readonly AudioDeviceDescriptor[];
  find(name: string): AudioDeviceDescriptor | undefined;
}

export function createAudioDeviceRegistry(devices: readonly AudioDeviceDescriptor[]): AudioDeviceRegistry {
  const byName = new Map<string, AudioDeviceDescriptor>();
  for (const d of devices) {
    if (byName.has(d.name)) throw new Error(`audio device ${d.name} registered twice`);
    byName.set(d.name, d);
  }
  const list = Object.freeze([...devices]);
  return { devices: list, find: (name) => byName.get(name) };
}

/**
 * One frame from `fromRate` to `toRate` (the same array when the rates match). Frames of 20 ms
 * at the usual rates (8/16/32/44.1/48 kHz) map to whole sample counts; frame edges are not
 * filtered across, which is fine for speech and tones but not a studio resampler.
 */
export function resampleFrame(frame: Int16Array, fromRate: number, toRate: number): Int16Array {
  return fromRate === toRate ? frame : resampleLinear(frame, fromRate, toRate);
}

/**
 * A listener on a call's audio as it passes the pump or mixer: what we send (local) and what we
 * hear (remote), each at its own rate. Call recording implements it.
 */
export interface AudioTap {
  local(frame: Int16Array, sampleRate: number): void;
  remote(frame: Int16Array, sampleRate: number): void;
}
