/**
 * The descriptor every audio codec plugs into. A descriptor is a plain immutable object; the
 * stateful parts (encoder, decoder) are created per stream. Codecs are registered at the
 * composition root (see codec-registry.ts); importing a codec module has no side effects.
 *
 * Rates: `clockRate` is the RTP timestamp clock (a=rtpmap), `sampleRate` the PCM rate the
 * encoder takes and the decoder produces. They differ for G.722 (RFC 3551 §4.5.2: 16 kHz audio,
 * 8000 Hz clock) and may differ for Opus (RFC 7587 §4.1: clock always 48000).
 */

/** fmtp parameters as name → value (names lower-cased, values as written). */
export type FmtpParams = Readonly<Record<string, string>>;

export interface AudioEncoder {
  /**
   * Encodes one frame. `pcm` holds `samples × channels` interleaved 16-bit samples, its length
   * being one allowed frame (see `AudioCodec.frameDurationsMs`). Writes the payload at the start
   * of `out` and returns the number of bytes written; 0 means nothing to send for this frame
   * (a codec's own DTX, e.g. Opus). An `out` too small is a programmer error.
   */
  encode(pcm: Int16Array, out: Buffer): number;
  /** Forgets all state (new stream, after a hold). */
  reset(): void;
}

export interface AudioDecoder {
  /**
   * Decodes one payload into `out` (interleaved), returning samples written (per channel ×
   * channels); a payload may hold several frames or a codec SID frame. Peer input: a payload
   * that does not fit `out` is truncated to it, a malformed one yields 0 samples; never throws.
   */
  decode(payload: Buffer, out: Int16Array): number;
  /**
   * The codec's own packet-loss concealment: fills `out` with a substitute for one lost frame
   * and returns samples written. Absent for codecs without built-in PLC (G.711); media/ then
   * conceals generically.
   */
  conceal?(out: Int16Array): number;
  /**
   * In-band redundancy (Opus FEC/LBRR): rebuilds the frame *before* `payload` when that packet
   * was lost but this one arrived, returning samples written (0 if the payload carries none).
   */
  decodeRedundant?(payload: Buffer, out: Int16Array): number;
  reset(): void;
}

/** Offer/answer handling of a=fmtp for one codec (RFC 3264 §6.1 leaves semantics to each format). */
export interface FmtpHandler {
  /** The parameters we put in our own offer. */
  offer(): FmtpParams;
  /**
   * Given what the peer declared, the parameters we use (answer, or our side of the session),
   * or null when the configurations cannot work together and the payload type must be dropped.
   */
  negotiate(local: FmtpParams, remote: FmtpParams): FmtpParams | null;
}

export interface AudioCodec {
  /** SDP encoding name as registered (RFC 4855), compared case-insensitively: 'PCMU', 'opus'. */
  readonly name: string;
  /** RFC 3551 static payload type, or null when it must be assigned dynamically (96–127). */
  readonly payloadType: number | null;
  /** RTP timestamp clock rate in Hz (the rate in a=rtpmap). */
  readonly clockRate: number;
  /** PCM sample rate in Hz of the encoder input and decoder output. */
  readonly sampleRate: number;
  /** PCM channels (interleaved when 2). */
  readonly channels: number;
  /** The channel count written in a=rtpmap (Opus always says 2, RFC 7587 §7); 1 means omitted. */
  readonly rtpmapChannels: number;
  /** Frame durations the encoder accepts, in ms, ascending; a packet carries one frame. */
  readonly frameDurationsMs: readonly number[];
  /** The ptime we use unless negotiated otherwise (RFC 3551 §4.5: 20 ms for G.711). */
  readonly defaultPtimeMs: number;
  /** Largest ptime we accept for reception (a=maxptime). */
  readonly maxPtimeMs: number;
  /** fmtp handling, absent for codecs that define no parameters. */
  readonly fmtp?: FmtpHandler;
  createEncoder(fmtp?: FmtpParams): AudioEncoder;
  createDecoder(fmtp?: FmtpParams): AudioDecoder;
}

/** PCM samples per channel in one frame of `ms` milliseconds. */
export function samplesPerFrame(codec: AudioCodec, ms: number): number {
  return (codec.sampleRate * ms) / 1000;
}

/** RTP timestamp units covered by `samples` PCM samples per channel (G.722: half of them). */
export function rtpTimestampUnits(codec: AudioCodec, samples: number): number {
  return (samples * codec.clockRate) / codec.sampleRate;
}
