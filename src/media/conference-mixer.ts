/**
 * Local conference (3-way calling and more): every party hears the sum of all the others, never
 * itself. Parties are call streams (each a remote phone) and, optionally, the local user's
 * microphone and speaker. The mixer runs at one rate (8 kHz by default); a party whose stream
 * runs at another rate is resampled in and out. Sums are kept exact while they fit and pass a
 * soft limiter above 3/4 of full scale, so loud parties saturate smoothly instead of wrapping.
 *
 * Merging calls: stop each call's AudioPump and `add` its stream; splitting: `remove` it and
 * start its pump again. The mixer owns the streams' clocking while they are in it.
 */
import type { Clock } from '../util/index.js';
import { resampleFrame, type AudioSink, type AudioSource, type AudioTap } from './audio-device.js';
import { RECEIVE_FRAME_MS, type PumpableStream } from './audio-pump.js';
import { FrameTicker } from './frame-ticker.js';
import { SampleFifo } from './sample-fifo.js';

/** Where the soft limiter starts bending (0.75 of full scale): quieter sums pass exactly. */
const KNEE = 24576;
const HEADROOM = 32767 - KNEE;

/** Limits a sum to 16 bits: identity up to ±KNEE, then a smooth curve approaching full scale. */
export function softLimit(x: number): number {
  const a = x < 0 ? -x : x;
  if (a <= KNEE) return x;
  const over = a - KNEE;
  // KNEE + over / (1 + over / HEADROOM): slope 1 at the knee, tends to 32767, never exceeds it.
  const y = Math.round(KNEE + over / (1 + over / HEADROOM));
  return x < 0 ? -y : y;
}

export interface ConferencePartyOptions {
  /** The stream's send period (negotiated ptime), default 20. */
  readonly ptimeMs?: number;
  /** Sees what this party is sent (local) and what it says (remote): recording this call. */
  readonly tap?: AudioTap;
}

interface Party {
  readonly stream: PumpableStream;
  readonly sendRate: number;
  readonly receiveRate: number;
  readonly sendFifo: SampleFifo;
  readonly sendFrame: Int16Array;
  readonly input: Int16Array;
  readonly tap: AudioTap | undefined;
}

export interface ConferenceMixerOptions {
  readonly clock: Clock;
  /** Mixing rate, default 8000. */
  readonly sampleRate?: number;
}

export class ConferenceMixer {
  readonly sampleRate: number;
  private readonly frame: number;
  private readonly parties = new Map<string, Party>();
  private local: { source: AudioSource; sink: AudioSink; input: Int16Array; frame: Int16Array } | null = null;
  private readonly ticker: FrameTicker;
  private readonly total: Float64Array;
  private readonly mixed: Int16Array;
  /** The local microphone is left out of the mix (the others still hear each other). */
  muted = false;

  constructor(options: ConferenceMixerOptions) {
    this.sampleRate = options.sampleRate ?? 8000;
    this.frame = Math.round((this.sampleRate * RECEIVE_FRAME_MS) / 1000);
    this.total = new Float64Array(this.frame);
    this.mixed = new Int16Array(this.frame);
    this.ticker = new FrameTicker(options.clock, RECEIVE_FRAME_MS, () => this.mixOnce());
  }

  /** Ids of the call parties, in the order they joined. */
  get participants(): string[] {
    return [...this.parties.keys()];
  }

  get running(): boolean {
    return this.ticker.running;
  }

  /** Adds a call to the conference. A second party with the same id is a programmer error. */
  add(id: string, stream: PumpableStream, options: ConferencePartyOptions = {}): void {
    if (this.parties.has(id)) throw new Error(`conference party ${id} already added`);
    const ptime = options.ptimeMs ?? 20;
    const sendRate = (stream.sendFrameSamples * 1000) / ptime;
    this.parties.set(id, {
      stream, sendRate,
      receiveRate: (stream.receiveFrameSamples * 1000) / RECEIVE_FRAME_MS,
      sendFifo: new SampleFifo(stream.sendFrameSamples + Math.round((sendRate * RECEIVE_FRAME_MS) / 1000) * 2),
      sendFrame: new Int16Array(stream.sendFrameSamples),
      input: new Int16Array(this.frame),
      tap: options.tap,
    });
  }

  /** Takes a call out (split); its stream is the caller's again. False if it was not in. */
  remove(id: string): boolean {
    return this.parties.delete(id);
  }

  /** The local user's microphone and speaker (null: a conference bridge without a local user). */
  setLocal(device: { source: AudioSource; sink: AudioSink } | null): void {
    this.local = device && {
      ...device,
      input: new Int16Array(this.frame),
      frame: new Int16Array(Math.round((device.source.sampleRate * RECEIVE_FRAME_MS) / 1000)),
    };
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  /** One 20 ms round: read every party, send each the sum of the others. */
  mixOnce(): void {
    const total = this.total;
    total.fill(0);
    for (const p of this.parties.values()) {
      const heard = p.stream.readAudio();
      p.tap?.remote(heard, p.receiveRate);
      copyInto(p.input, resampleFrame(heard, p.receiveRate, this.sampleRate));
      for (let i = 0; i < this.frame; i++) total[i]! += p.input[i]!;
    }
    const local = this.local;
    if (local) {
      local.source.read(local.frame);
      if (this.muted) local.input.fill(0);
      else copyInto(local.input, resampleFrame(local.frame, local.source.sampleRate, this.sampleRate));
      for (let i = 0; i < this.frame; i++) total[i]! += local.input[i]!;
      this.mixFor(local.input);
      local.sink.write(resampleFrame(this.mixed, this.sampleRate, local.sink.sampleRate));
    }
    for (const p of this.parties.values()) {
      this.mixFor(p.input);
      p.sendFifo.push(resampleFrame(this.mixed, this.sampleRate, p.sendRate));
      while (p.sendFifo.length >= p.sendFrame.length) {
        p.sendFifo.shift(p.sendFrame);
        p.stream.sendAudio(p.sendFrame);
        p.tap?.local(p.sendFrame, p.sendRate);
      }
    }
  }

  /** `mixed` = everything but `own`, limited. */
  private mixFor(own: Int16Array): void {
    for (let i = 0; i < this.frame; i++) this.mixed[i] = softLimit(this.total[i]! - own[i]!);
  }
}

/** Copies a resampled frame, padding or trimming by a sample when a rate ratio is not exact. */
function copyInto(dst: Int16Array, src: Int16Array): void {
  const n = Math.min(dst.length, src.length);
  dst.set(src.subarray(0, n));
  if (n < dst.length) dst.fill(n > 0 ? src[n - 1]! : 0, n);
}
