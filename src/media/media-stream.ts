import { EventEmitter } from 'node:events';
import { randomUint32, type Clock, type TimerHandle } from '../util/index.js';
import {
  createRtpPacket, dtmfEventCode, dtmfKey, DTMF_FLASH, isRtcpPacket, parseRtpPacket, parseTelephoneEvent, ReceiverStatistics, SrtpContext,
  TelephoneEventReceiver, TelephoneEventSender, writeRtpPacket, writeTelephoneEvent, type SrtpProfile,
} from '../rtp/index.js';
import { rtpTimestampUnits, samplesPerFrame, type AudioCodec, type AudioDecoder, type AudioEncoder } from '../codecs/index.js';
import type { DatagramAddress, DatagramPort } from './datagram-port.js';
import { JitterBuffer, type JitterStats } from './jitter-buffer.js';
import { RtcpReporter } from './rtcp-reporter.js';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SrtpKeys {
  profile: SrtpProfile;
  key: Buffer;
  salt: Buffer;
}

export interface MediaStreamOptions {
  clock: Clock;
  /** Our RTP port; with rtcp-mux it carries RTCP too. */
  rtp: DatagramPort;
  /** Our RTCP port when RTCP is not multiplexed. */
  rtcp?: DatagramPort;
  /** Where the peer wants RTP, from signalling (the only source we accept it from). */
  remote: DatagramAddress;
  /** Where the peer wants RTCP (default: the RTP address with rtcp-mux, else port + 1). */
  remoteRtcp?: DatagramAddress;
  send: { codec: AudioCodec; payloadType: number; ptimeMs?: number };
  /** Payload types we accept, and their codecs (comfort noise included). */
  receive: ReadonlyMap<number, AudioCodec>;
  telephoneEvent?: { sendPayloadType?: number; receivePayloadTypes?: readonly number[] };
  srtp?: { send: SrtpKeys; receive: SrtpKeys };
  direction?: MediaDirection;
  /**
   * NAT latching: the first `latchPackets` packets from the signalled host (address only) may move
   * the destination to the port they came from. Off by default: foreign senders can never hijack.
   */
  latchPackets?: number;
  cname?: string;
}

export type DropReason = 'foreign-source' | 'srtp' | 'malformed' | 'unknown-payload-type' | 'unknown-ssrc' | 'direction' | 'rtcp';

export interface MediaStreamStats {
  packetsSent: number;
  octetsSent: number;
  packetsReceived: number;
  dropped: Record<DropReason, number>;
  jitter: Readonly<JitterStats>;
  lossFraction: number;
  interarrivalJitterMs: number;
  roundTripMs: number | null;
}

export interface MediaStreamEvents {
  dtmf: [{ key: string; event: number; phase: 'begin' | 'end'; durationMs?: number }];
}

const canSend = (d: MediaDirection) => d === 'sendrecv' || d === 'sendonly';
const canReceive = (d: MediaDirection) => d === 'sendrecv' || d === 'recvonly';

/**
 * One audio RTP session: encode → packetize → SRTP → socket on the way out, and socket → source
 * check → SRTP → jitter buffer → decode on the way in, with RFC 4733 events both ways and RTCP
 * reports. The caller's audio clock drives it: `sendAudio` once per ptime, `readAudio` once per
 * 20 ms. Nothing the network sends can throw: bad packets are dropped and counted.
 */
export class MediaStream extends EventEmitter<MediaStreamEvents> {
  readonly ssrc = randomUint32();
  private readonly o: MediaStreamOptions;
  private direction: MediaDirection;
  private remote: DatagramAddress;
  private readonly encoder: AudioEncoder;
  private readonly decoders = new Map<number, AudioDecoder>();
  private readonly jb: JitterBuffer;
  private readonly sendSrtp: SrtpContext | null;
  private readonly receiveSrtp: SrtpContext | null;
  private readonly rtcp: RtcpReporter;
  private readonly te = new TelephoneEventSender();
  private readonly teReceiver = new TelephoneEventReceiver();
  private readonly digits: { event: number; durationMs: number; gapMs: number }[] = [];
  private dtmfTimer: TimerHandle | null = null;
  private dtmfIdleUntil = 0;
  private seq = randomUint32() & 0xffff;
  private timestamp = randomUint32();
  private readonly payload = Buffer.alloc(1500);
  private readonly packet = createRtpPacket();
  private remoteSsrc: number | null = null;
  private readonly receiveClockRate: number;
  private stats: ReceiverStatistics | null = null;
  private latchLeft: number;
  private cnActive = false;
  private decodeScratch = new Int16Array(0);
  private readonly counters = { packetsSent: 0, octetsSent: 0, packetsReceived: 0 };
  private readonly dropped: Record<DropReason, number> = {
    'foreign-source': 0, srtp: 0, malformed: 0, 'unknown-payload-type': 0, 'unknown-ssrc': 0, direction: 0, rtcp: 0,
  };
  private closed = false;

  constructor(options: MediaStreamOptions) {
    super();
    this.o = options;
    this.direction = options.direction ?? 'sendrecv';
    this.remote = { ...options.remote };
    this.latchLeft = options.latchPackets ?? 0;
    this.encoder = options.send.codec.createEncoder();
    const audio = [...options.receive.values()].find((c) => c.name !== 'CN') ?? options.send.codec;
    this.receiveClockRate = audio.clockRate;
    this.jb = new JitterBuffer({ sampleRate: audio.sampleRate, clockRate: audio.clockRate, decode: (p, pt) => this.decode(p, pt) });
    this.sendSrtp = options.srtp ? new SrtpContext(options.srtp.send.profile, options.srtp.send.key, options.srtp.send.salt) : null;
    this.receiveSrtp = options.srtp ? new SrtpContext(options.srtp.receive.profile, options.srtp.receive.key, options.srtp.receive.salt) : null;
    const remoteRtcp = options.remoteRtcp ?? (options.rtcp ? { address: options.remote.address, port: options.remote.port + 1 } : options.remote);
    this.rtcp = new RtcpReporter({
      clock: options.clock, ssrc: this.ssrc, cname: options.cname ?? `handset-${this.ssrc.toString(16)}@local`,
      send: (data) => (options.rtcp ?? options.rtp).send(this.sendSrtp ? this.sendSrtp.protectRtcp(data) : data, remoteRtcp),
      clockRate: options.send.codec.clockRate,
    });
    options.rtp.onDatagram((data, from) => this.onDatagram(data, from, !options.rtcp));
    options.rtcp?.onDatagram((data, from) => this.onRtcp(data, from));
    this.rtcp.start();
  }

  /** Samples per channel `sendAudio` expects (one ptime). */
  get sendFrameSamples(): number {
    return samplesPerFrame(this.o.send.codec, this.o.send.ptimeMs ?? this.o.send.codec.defaultPtimeMs);
  }

  /** Samples `readAudio` returns (20 ms at the receive codec's rate). */
  get receiveFrameSamples(): number {
    return this.jb.frameSamples;
  }

  get remoteAddress(): DatagramAddress {
    return { ...this.remote };
  }

  setDirection(direction: MediaDirection): void {
    this.direction = direction;
  }

  /** Encodes and sends one ptime of audio; while a DTMF event plays, audio is held back (RFC 4733 §2.5.1). */
  sendAudio(pcm: Int16Array): void {
    if (this.closed) return;
    const units = rtpTimestampUnits(this.o.send.codec, pcm.length / this.o.send.codec.channels);
    if (canSend(this.direction) && !this.te.busy && this.o.clock.now() >= this.dtmfIdleUntil) {
      const n = this.encoder.encode(pcm, this.payload);
      // 0 bytes: the codec's own DTX has nothing to send for this frame.
      if (n > 0) this.sendRtp(this.o.send.payloadType, this.timestamp, this.counters.packetsSent === 0, this.payload.subarray(0, n));
    }
    this.timestamp = (this.timestamp + units) >>> 0;
  }

  /**
   * Queues DTMF keys as RFC 4733 events ('0'-'9', '*', '#', 'A'-'D', '!' = flash). Returns false
   * when the peer did not negotiate telephone-event or a key is invalid (the caller may use INFO).
   */
  sendDtmf(keys: string, durationMs = 100, gapMs = 60): boolean {
    if (this.o.telephoneEvent?.sendPayloadType === undefined) return false;
    const events = [...keys].map(dtmfEventCode);
    if (events.some((e) => e === undefined)) return false;
    for (const event of events) this.digits.push({ event: event!, durationMs: event === DTMF_FLASH ? 500 : durationMs, gapMs });
    if (!this.dtmfTimer) this.dtmfTick();
    return true;
  }

  private dtmfTick(): void {
    this.dtmfTimer = null;
    const now = this.o.clock.now();
    const ptime = this.o.send.ptimeMs ?? 20;
    if (!this.te.busy && now >= this.dtmfIdleUntil) {
      const next = this.digits.shift();
      if (!next) return;
      this.te.start(next.event, this.timestamp, now, next.durationMs);
      this.dtmfIdleUntil = now + next.durationMs + next.gapMs;
    }
    for (const f of this.te.tick(now)) {
      const len = writeTelephoneEvent(f.payload, this.payload, 0);
      if (canSend(this.direction)) this.sendRtp(this.o.telephoneEvent!.sendPayloadType!, f.timestamp, f.marker, this.payload.subarray(0, len));
    }
    this.dtmfTimer = this.o.clock.setTimer(ptime, () => this.dtmfTick());
  }

  private sendRtp(payloadType: number, timestamp: number, marker: boolean, payload: Buffer): void {
    const p = this.packet;
    p.marker = marker;
    p.payloadType = payloadType;
    p.sequenceNumber = this.seq;
    p.timestamp = timestamp;
    p.ssrc = this.ssrc;
    p.csrcs = [];
    p.extension = null;
    p.paddingLength = 0;
    p.payload = payload;
    const buf = Buffer.allocUnsafe(12 + payload.length);
    writeRtpPacket(p, buf, 0);
    const wire = this.sendSrtp ? this.sendSrtp.protectRtp(buf) : buf;
    this.o.rtp.send(wire, this.remote);
    this.seq = (this.seq + 1) & 0xffff;
    this.counters.packetsSent++;
    this.counters.octetsSent += payload.length;
    this.rtcp.noteSent(timestamp, payload.length);
  }

  /** The next 20 ms of received audio (silence, concealment or comfort noise when nothing came). */
  readAudio(): Int16Array {
    const frame = this.jb.pull(this.o.clock.now());
    if (frame.kind === 'concealed' && this.cnActive) {
      this.decoders.get(this.cnPayloadType())?.conceal?.(frame.samples);
    }
    return frame.samples;
  }

  private cnPayloadType(): number {
    for (const [pt, c] of this.o.receive) if (c.name === 'CN') return pt;
    return -1;
  }

  private decode(payload: Buffer, pt: number): Int16Array {
    const codec = this.o.receive.get(pt)!;
    let d = this.decoders.get(pt);
    if (!d) {
      d = codec.createDecoder();
      this.decoders.set(pt, d);
    }
    this.cnActive = codec.name === 'CN';
    // The jitter buffer copies what we return before the next decode: one scratch buffer will do.
    const need = this.cnActive ? this.jb.frameSamples : Math.max(this.jb.frameSamples, payload.length * 6);
    if (this.decodeScratch.length < need) this.decodeScratch = new Int16Array(need);
    const n = d.decode(payload, this.decodeScratch.subarray(0, need));
    return this.decodeScratch.subarray(0, n);
  }

  private onDatagram(data: Buffer, from: DatagramAddress, muxed: boolean): void {
    if (this.closed) return;
    if (muxed && isRtcpPacket(data)) return this.onRtcp(data, from);
    if (!this.acceptSource(from, this.remote)) return void this.dropped['foreign-source']++;
    let rtp = data;
    if (this.receiveSrtp) {
      const r = this.receiveSrtp.unprotectRtp(data);
      if (!r.ok) return void this.dropped.srtp++;
      rtp = r.value;
    }
    const parsed = parseRtpPacket(rtp, 0, rtp.length);
    if (!parsed.ok) return void this.dropped.malformed++;
    const p = parsed.value;
    if (!canReceive(this.direction)) return void this.dropped.direction++;
    const now = this.o.clock.now();
    if (!this.trackSource(p.ssrc, p.sequenceNumber, p.timestamp, now)) return void this.dropped['unknown-ssrc']++;
    this.counters.packetsReceived++;
    if (this.o.telephoneEvent?.receivePayloadTypes?.includes(p.payloadType)) {
      const ev = parseTelephoneEvent(p.payload);
      if (!ev.ok) return void this.dropped.malformed++;
      this.emitDtmf(this.teReceiver.receive(p.timestamp, p.marker, ev.value, now));
      return;
    }
    if (!this.o.receive.has(p.payloadType)) return void this.dropped['unknown-payload-type']++;
    // The payload is a view of this datagram's own buffer (sockets hand out a fresh one each time).
    this.jb.push({ sequenceNumber: p.sequenceNumber, timestamp: p.timestamp, marker: p.marker, payloadType: p.payloadType, payload: p.payload }, now);
  }

  /** Symmetric RTP: only the signalled address, or (latching) a new port of the signalled host. */
  private acceptSource(from: DatagramAddress, expected: DatagramAddress): boolean {
    if (from.address === expected.address && from.port === expected.port) return true;
    if (this.latchLeft > 0 && from.address === expected.address) {
      this.latchLeft--;
      this.remote = { ...from };
      return true;
    }
    return false;
  }

  /** RFC 3550 A.1: a new SSRC plays only after two packets in sequence, so stray packets cannot take over. */
  private trackSource(ssrc: number, seq: number, ts: number, now: number): boolean {
    if (this.stats && this.remoteSsrc === ssrc) {
      const verdict = this.stats.update(seq, ts, now);
      return verdict === 'valid' || verdict === 'restarted';
    }
    const candidate = this.pendingSource?.ssrc === ssrc
      ? this.pendingSource
      : new ReceiverStatistics(ssrc, seq, { clockRate: this.receiveClockRate, minSequential: this.remoteSsrc === null ? 1 : 2 });
    if (candidate.update(seq, ts, now) !== 'valid') {
      this.pendingSource = candidate;
      return false;
    }
    this.adopt(ssrc, candidate);
    return true;
  }

  private pendingSource: ReceiverStatistics | null = null;

  private adopt(ssrc: number, stats: ReceiverStatistics): void {
    this.remoteSsrc = ssrc;
    this.stats = stats;
    this.pendingSource = null;
    this.teReceiver.reset();
    this.rtcp.setRemote(stats);
  }

  private onRtcp(data: Buffer, from: DatagramAddress): void {
    if (from.address !== this.remote.address) return void this.dropped['foreign-source']++;
    let plain = data;
    if (this.receiveSrtp) {
      const r = this.receiveSrtp.unprotectRtcp(data);
      if (!r.ok) return void this.dropped.srtp++;
      plain = r.value;
    }
    if (!this.rtcp.receive(plain)) this.dropped.rtcp++;
  }

  private emitDtmf(notices: ReturnType<TelephoneEventReceiver['receive']>): void {
    for (const n of notices) {
      const key = dtmfKey(n.event);
      if (key === undefined) continue;
      this.emit('dtmf', n.type === 'begin'
        ? { key, event: n.event, phase: 'begin' }
        : { key, event: n.event, phase: 'end', durationMs: (n.duration * 1000) / 8000 });
    }
  }

  getStats(): MediaStreamStats {
    return {
      ...this.counters,
      dropped: { ...this.dropped },
      jitter: this.jb.stats,
      lossFraction: this.stats ? Math.max(0, this.stats.cumulativeLost) / Math.max(1, this.stats.cumulativeLost + this.stats.packetsReceived) : 0,
      interarrivalJitterMs: this.stats ? (this.stats.jitter / this.receiveClockRate) * 1000 : 0,
      roundTripMs: this.rtcp.roundTripMs,
    };
  }

  /** Stops timers and sends RTCP BYE; the ports stay the caller's to close. */
  close(): void {
    if (this.closed) return;
    this.rtcp.stop(true);
    if (this.dtmfTimer) this.o.clock.clearTimer(this.dtmfTimer);
    this.closed = true;
  }
}
