import { DelayEstimator } from './delay-estimator.js';
import { PullSchedule } from './jitter-buffer-pulls.js';
import { TimeStretcher } from './time-stretch.js';
import { WaveformSubstitutionPlc } from './waveform-plc.js';

/** A media packet as the jitter buffer needs it (RTP header fields plus the payload). */
export interface JitterPacket {
  sequenceNumber: number;
  timestamp: number;
  marker?: boolean;
  /** Handed back to `decode` so one buffer can carry a stream whose payload type changes. */
  payloadType?: number;
  payload: Buffer;
}

export interface JitterBufferOptions {
  /** Decoded audio rate. */
  sampleRate: number;
  /** RTP clock rate (defaults to sampleRate; G.722 is the classic exception). */
  clockRate?: number;
  /** Output frame length in ms (default 20). */
  frameMs?: number;
  /** Decodes one payload into PCM samples at sampleRate. */
  decode: (payload: Buffer, payloadType: number) => ArrayLike<number>;
  /** Bounds of the target delay (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Packets held at most; beyond that the oldest are dropped. */
  maxPackets?: number;
  /** Quantile of relative delay the target covers (default 0.99) and the window it looks at (ms). */
  quantile?: number;
  windowMs?: number;
}

export type PushOutcome = 'queued' | 'duplicate' | 'late' | 'reset';
export type FrameKind = 'normal' | 'accelerated' | 'expanded' | 'concealed' | 'silence';

export interface JitterFrame {
  samples: Int16Array;
  kind: FrameKind;
  /** RTP timestamp of the first output sample, or null when it is synthetic. */
  timestamp: number | null;
}

export interface JitterStats {
  received: number;
  duplicates: number;
  late: number;
  /** Frames synthesised because their packet was missing when due. */
  concealedFrames: number;
  /** Frames synthesised because the buffer ran dry. */
  underrunFrames: number;
  outputFrames: number;
  acceleratedMs: number;
  expandedMs: number;
  resets: number;
  targetDelayMs: number;
  bufferedMs: number;
  /** How long the last decoded packet's slowest covered peer was held beyond the target (ms). */
  excessDelayMs: number;
}

interface Segment {
  ts: number;
  samples: number;
}

/** A jump larger than this (ms of media time) means the sender restarted its clock. */
const resetJumpMs = 5000;
/**
 * Hold kept beyond the target (ms): the slowest packets sit just above the quantile, and a hold
 * drifting slowly down (sender clock skew) would otherwise linger where they come late.
 */
const holdGuardMs = 1;
/** Hold a saved pull must still leave beyond what it needs, so small target changes cause no churn. */
const accelerateMarginMs = 2;

/**
 * Adaptive jitter buffer: holds packets until they are due, sizes its delay from recent arrival
 * statistics (DelayEstimator), follows that target by removing or repeating pitch periods
 * (TimeStretcher) and fills missing packets by waveform substitution (WaveformSubstitutionPlc).
 * Driven by `pull` once per output frame, so the caller's audio clock sets the pace: sender clock
 * skew shows up as a slowly changing buffer level and is absorbed by the time stretching.
 */
export class JitterBuffer {
  readonly frameSamples: number;
  private readonly opts: Required<Omit<JitterBufferOptions, 'decode'>> & Pick<JitterBufferOptions, 'decode'>;
  private readonly ticksPerSample: number;
  private readonly estimator: DelayEstimator;
  private readonly plc: WaveformSubstitutionPlc;
  private readonly stretcher: TimeStretcher;
  private packets: { ext: number; pt: number; payload: Buffer }[] = [];
  private started = false;
  private nextTs = 0;
  private lastDuration = 0;
  /** Ticks concealed while the buffer was empty, to be set against the next gap. */
  private credit = 0;
  private sync = new Float32Array(0);
  private syncLen = 0;
  private segments: Segment[] = [];
  /** How long the packet being decoded was held beyond the fastest recent delay (ms). */
  private holdMs = 0;
  /** How far that hold sits above the target (ms). */
  private excessMs = 0;
  private stretchCooldown = 0;
  private now = 0;
  private readonly pulls: PullSchedule;
  /** How far the current pull came after the earliest phase the caller pulls at (ms). */
  private pullLateMs = 0;
  /** Reused buffers for one decoded packet and one concealed frame. */
  private decoded = new Float32Array(0);
  private readonly concealed: Float32Array;
  private readonly st: JitterStats = {
    received: 0, duplicates: 0, late: 0, concealedFrames: 0, underrunFrames: 0, outputFrames: 0,
    acceleratedMs: 0, expandedMs: 0, resets: 0, targetDelayMs: 0, bufferedMs: 0, excessDelayMs: 0,
  };

  constructor(options: JitterBufferOptions) {
    this.opts = {
      clockRate: options.sampleRate, frameMs: 20, minDelayMs: 0, maxDelayMs: 400, maxPackets: 100,
      quantile: 0.99, windowMs: 4000, ...options,
    };
    this.ticksPerSample = this.opts.clockRate / this.opts.sampleRate;
    this.frameSamples = Math.round((this.opts.sampleRate * this.opts.frameMs) / 1000);
    this.estimator = new DelayEstimator(this.opts.windowMs, this.opts.quantile);
    this.plc = new WaveformSubstitutionPlc(this.opts.sampleRate);
    this.stretcher = new TimeStretcher(this.opts.sampleRate);
    this.concealed = new Float32Array(this.frameSamples);
    this.sync = new Float32Array(this.frameSamples * 8);
    this.pulls = new PullSchedule(this.opts.frameMs);
  }

  get stats(): Readonly<JitterStats> {
    this.st.targetDelayMs = this.targetMs();
    this.st.bufferedMs = this.levelMs();
    this.st.excessDelayMs = this.excessMs;
    return this.st;
  }

  /** Offers a packet that arrived at `arrivalMs` (caller's clock). Never throws. */
  push(packet: JitterPacket, arrivalMs: number): PushOutcome {
    this.st.received++;
    let outcome: PushOutcome = 'queued';
    if (!this.started) {
      this.started = true;
      this.nextTs = packet.timestamp;
    }
    // Unwrap the 32-bit timestamp around the playout position.
    const rel = (packet.timestamp - (this.nextTs % 0x100000000)) | 0;
    let ext = this.nextTs + rel;
    const jumpMs = (Math.abs(rel) / this.opts.clockRate) * 1000;
    if (jumpMs > resetJumpMs || (packet.marker === true && this.packets.length === 0 && rel > 0 && this.credit > 0)) {
      // A new clock origin, or a talkspurt after silence: restart the timeline at this packet.
      if (jumpMs > resetJumpMs) {
        this.st.resets++;
        this.estimator.reset();
      }
      this.packets = [];
      this.nextTs = packet.timestamp;
      this.credit = 0;
      ext = packet.timestamp;
      outcome = jumpMs > resetJumpMs ? 'reset' : 'queued';
    } else if (ext < this.nextTs) {
      this.st.late++;
      return 'late';
    }
    let i = this.packets.length;
    while (i > 0 && this.packets[i - 1]!.ext > ext) i--;
    if (i > 0 && this.packets[i - 1]!.ext === ext) {
      this.st.duplicates++;
      return 'duplicate';
    }
    this.packets.splice(i, 0, { ext, pt: packet.payloadType ?? 0, payload: packet.payload });
    if (this.packets.length > this.opts.maxPackets) this.packets.shift();
    this.estimator.add(arrivalMs, (ext / this.opts.clockRate) * 1000);
    return outcome;
  }

  /** Produces the next output frame; call once per frameMs with the caller's clock. */
  pull(nowMs: number): JitterFrame {
    const n = this.frameSamples;
    const samples = new Int16Array(n);
    if (!this.started) return { samples, kind: 'silence', timestamp: null };
    this.now = nowMs;
    this.pullLateMs = this.pulls.lateness(nowMs);
    let kind: FrameKind = 'normal';
    while (this.syncLen < n) {
      const k = this.fill();
      if (k !== 'normal' && (kind === 'normal' || k === 'concealed')) kind = k;
    }
    // Decoded, concealed and stretched samples are convex blends of 16-bit values: no clamping needed.
    samples.set(this.sync.subarray(0, n));
    this.sync.copyWithin(0, n, this.syncLen);
    this.syncLen -= n;
    const timestamp = this.consumeSegments(n);
    this.st.outputFrames++;
    return { samples, kind, timestamp };
  }

  private targetMs(): number {
    const t = this.estimator.targetMs();
    return Math.min(this.opts.maxDelayMs, Math.max(this.opts.minDelayMs, t));
  }

  /** Audio available beyond what is already decoded: sync buffer plus queued packets (ms). */
  private levelMs(): number {
    let ticks = this.syncLen * this.ticksPerSample;
    if (this.packets.length > 0) ticks += this.packets[this.packets.length - 1]!.ext + this.lastDuration - this.nextTs;
    return (ticks / this.opts.clockRate) * 1000;
  }

  /**
   * How far the hold of the packet being decoded sits above what the target needs. A packet is
   * decoded by the pull that first needs it, so the slowest packets the target covers must have
   * arrived by then: decode time - media time - fastest delay >= target. The decode time is taken
   * at the earliest phase the caller pulls at, as a later pull may come on time. (The samples
   * already decoded ahead of it add playout delay but no safety: see `appendDecoded`.)
   */
  private measureExcess(ext: number): void {
    const mediaMs = (ext / this.opts.clockRate) * 1000;
    this.holdMs = this.now - this.pullLateMs - mediaMs - this.estimator.baseMs();
    this.excessMs = this.holdMs - this.targetMs();
  }

  /** Appends at least one sample to the sync buffer; says what kind of audio it was. */
  private fill(): FrameKind {
    while (this.packets.length > 0 && this.packets[0]!.ext < this.nextTs) {
      this.packets.shift();
      this.st.late++;
    }
    const head = this.packets[0];
    if (head && head.ext === this.nextTs) {
      this.packets.shift();
      this.credit = 0;
      this.measureExcess(head.ext);
      const decoded = this.opts.decode(head.payload, head.pt);
      if (this.decoded.length < decoded.length) this.decoded = new Float32Array(decoded.length);
      const out = this.decoded.subarray(0, decoded.length);
      this.plc.good(decoded, out);
      this.lastDuration = decoded.length * this.ticksPerSample;
      this.nextTs += this.lastDuration;
      return this.appendDecoded(out, head.ext - this.plc.delaySamples * this.ticksPerSample);
    }
    if (head && this.credit > 0) {
      // What we concealed while dry stands in for (part of) the gap before this packet.
      const skip = Math.min(this.credit, head.ext - this.nextTs);
      this.nextTs += skip;
      this.credit -= skip;
      return 'normal';
    }
    this.plc.conceal(this.concealed);
    this.append(this.concealed, NaN);
    const ticks = this.frameSamples * this.ticksPerSample;
    if (head) {
      this.nextTs += ticks;
      this.st.concealedFrames++;
    } else {
      this.credit += ticks;
      this.st.underrunFrames++;
    }
    return 'concealed';
  }

  /**
   * Follows the target. Pulls come once a frame, so the hold at decode moves in whole frames: samples
   * removed from a block first shorten the audio already decoded ahead of it (the next packet is still
   * decoded by the same pull: less delay, same safety), and only beyond that make the next packet
   * due a pull earlier, which the hold must afford with a margin. Below the target (and guard) one period is
   * repeated; on silence just enough to make the next packet due a pull later, so a step never
   * overshoots into the next acceleration.
   */
  private appendDecoded(block: Float32Array, ts: number): FrameKind {
    const n = this.frameSamples;
    const ahead = this.syncLen;
    // Saving a pull makes the next packet due now: it must be here already (the statistics say it
    // should be; a lone first packet or a delayed one must not be outrun).
    const nextHere = this.packets.length > 0 && this.packets[0]!.ext === this.nextTs;
    const spare = this.excessMs - holdGuardMs;
    // A pull is saved only when even the slowest recent packet would still be in time: the target
    // lets the quantile's tail come late, but once the hold covers the tail it is not given back.
    const needMs = Math.max(this.targetMs() + holdGuardMs, this.estimator.peakMs()) + accelerateMarginMs;
    const pullsToSpare = nextHere ? Math.floor((this.holdMs - needMs) / this.opts.frameMs) : 0;
    const removable = ahead + Math.max(0, pullsToSpare) * n;
    const want = spare < 0 ? 'expand' : removable >= this.stretcher.minLag ? 'accelerate' : null;
    // A pitch search costs more than the rest of a packet's path: at most one try in three packets,
    // except after a successful expansion (a hold below the target should reach the next pull soon).
    if (want !== null && this.stretchCooldown-- <= 0) {
      this.stretchCooldown = 2;
      const out = want === 'accelerate' ? this.stretcher.accelerate(block, removable) : this.stretcher.expand(block, n - (ahead % n));
      if (out) {
        const ms = (Math.abs(out.length - block.length) / this.opts.sampleRate) * 1000;
        if (want === 'accelerate') this.st.acceleratedMs += ms;
        else {
          this.st.expandedMs += ms;
          this.stretchCooldown = 0;
        }
        this.append(out, ts);
        return want === 'accelerate' ? 'accelerated' : 'expanded';
      }
    }
    this.append(block, ts);
    return 'normal';
  }

  private append(block: Float32Array, ts: number): void {
    if (this.syncLen + block.length > this.sync.length) {
      const bigger = new Float32Array((this.syncLen + block.length) * 2);
      bigger.set(this.sync.subarray(0, this.syncLen));
      this.sync = bigger;
    }
    this.sync.set(block, this.syncLen);
    this.syncLen += block.length;
    this.segments.push({ ts, samples: block.length });
  }

  private consumeSegments(n: number): number | null {
    const first = this.segments[0];
    const ts = first && !Number.isNaN(first.ts) ? first.ts >>> 0 : null;
    let left = n;
    while (left > 0 && this.segments.length > 0) {
      const seg = this.segments[0]!;
      if (seg.samples > left) {
        seg.samples -= left;
        if (!Number.isNaN(seg.ts)) seg.ts += left * this.ticksPerSample;
        left = 0;
      } else {
        left -= seg.samples;
        this.segments.shift();
      }
    }
    return ts;
  }
}
