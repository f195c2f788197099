import { EventEmitter } from 'node:events';
import { randomUint32, type Clock } from '../util/index.js';
import {
  createRtpPacket, dtmfKey, isRtcpPacket, parseRtpPacket, parseTelephoneEvent, SrtpContext,
  TelephoneEventReceiver, writeRtpPacket, writeTelephoneEvent, type SrtpProfile, type TelephoneEventNotice,
} from '../rtp/index.js';
import {
  DiscontinuousTransmission, rtpTimestampUnits, samplesPerFrame, writeComfortNoise,
  type AudioCodec, type AudioDecoder, type AudioEncoder,
} from '../codecs/index.js';
import type { DatagramAddress, DatagramPort } from './datagram-port.js';
import { DtmfEventScheduler } from './dtmf-event-scheduler.js';
import { JitterBuffer, type JitterStats } from './jitter-buffer.js';
import { RtcpReporter } from './rtcp-reporter.js';
import { RtpSourceGuard } from './rtp-source-guard.js';

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
  /** `comfortNoisePayloadType`: send RFC 3389 CN during silence instead of audio (when negotiated). */
  send: { codec: AudioCodec; payloadType: number; ptimeMs?: number; comfortNoisePayloadType?: number };
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
  private readonly encoder: AudioEncoder;
  private readonly decoders = new Map<number, AudioDecoder>();
  private readonly jb: JitterBuffer;
  private readonly sendSrtp: SrtpContext | null;
  private readonly receiveSrtp: SrtpContext | null;
  private readonly rtcp: RtcpReporter;
  private readonly dtmf: DtmfEventScheduler;
  private readonly teReceiver = new TelephoneEventReceiver();
  private readonly source: RtpSourceGuard;
  private readonly dtx: DiscontinuousTransmission | null;
  /** The next packet starts a talkspurt (RFC 3551 §4.1: marker bit). */
  private talkspurt = true;
  private seq = randomUint32() & 0xffff;
  private timestamp = randomUint32();
  private readonly payload = Buffer.alloc(1500);
  private readonly packet = createRtpPacket();
  private readonly receiveClockRate: number;
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
    this.encoder = options.send.codec.createEncoder();
    const audio = [...options.receive.values()].find((c) => c.name !== 'CN') ?? options.send.codec;
    this.receiveClockRate = audio.clockRate;
    const ptimeMs = options.send.ptimeMs ?? options.send.codec.defaultPtimeMs;
    this.dtx = options.send.comfortNoisePayloadType === undefined ? null : new DiscontinuousTransmission({ frameMs: ptimeMs });
    this.source = new RtpSourceGuard({
      remote: options.remote, latchPackets: options.latchPackets ?? 0, clockRate: audio.clockRate,
      onAdopt: (stats) => {
        this.teReceiver.reset();
        this.rtcp.setRemote(stats);
      },
    });
    this.dtmf = new DtmfEventScheduler({
      clock: options.clock, ptimeMs, timestamp: () => this.timestamp,
      send: (f) => {
        const len = writeTelephoneEvent(f.payload, this.payload, 0);
        if (canSend(this.direction)) this.sendRtp(options.telephoneEvent!.sendPayloadType!, f.timestamp, f.marker, this.payload.subarray(0, len));
      },
    });
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
    return { ...this.source.remote };
  }

  setDirection(direction: MediaDirection): void {
    this.direction = direction;
  }

  /**
   * Encodes and sends one ptime of audio. While a DTMF event plays, audio is held back (RFC 4733
   * §2.5.1); with comfort noise negotiated, silence goes out as SID packets (RFC 3389 §4).
   */
  sendAudio(pcm: Int16Array): void {
    if (this.closed) return;
    const units = rtpTimestampUnits(this.o.send.codec, pcm.length / this.o.send.codec.channels);
    if (!canSend(this.direction) || this.dtmf.holdsAudio) this.talkspurt = true;
    else {
      const decision = this.dtx ? this.dtx.next(pcm) : { kind: 'speech' as const };
      if (decision.kind === 'speech') {
        const n = this.encoder.encode(pcm, this.payload);
        // 0 bytes: the codec's own DTX has nothing to send for this frame.
        if (n > 0) this.sendRtp(this.o.send.payloadType, this.timestamp, this.talkspurt, this.payload.subarray(0, n));
        this.talkspurt = n === 0;
      } else {
        if (decision.kind === 'sid') {
          const n = writeComfortNoise(decision.payload, this.payload, 0);
          this.sendRtp(this.o.send.comfortNoisePayloadType!, this.timestamp, false, this.payload.subarray(0, n));
        }
        this.talkspurt = true;
      }
    }
    this.timestamp = (this.timestamp + units) >>> 0;
  }

  /**
   * Queues DTMF keys as RFC 4733 events ('0'-'9', '*', '#', 'A'-'D', '!' = flash). Returns false
   * when the peer did not negotiate telephone-event or a key is invalid (the caller may use INFO).
   */
  sendDtmf(keys: string, durationMs = 100, gapMs = 60): boolean {
    if (this.o.telephoneEvent?.sendPayloadType === undefined) return false;
    return this.dtmf.queue(keys, durationMs, gapMs);
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
    this.o.rtp.send(wire, this.source.remote);
    this.seq = (this.seq + 1) & 0xffff;
    this.counters.packetsSent++;
    this.counters.octetsSent += payload.length;
    this.rtcp.noteSent(timestamp, payload.length);
  }

  /** The next 20 ms of received audio (silence, concealment or comfort noise when nothing came). */
  readAudio(): Int16Array {
    const now = this.o.clock.now();
    // An event whose end packets were all lost still ends (RFC 4733 §2.5.2.2).
    this.emitDtmf(this.teReceiver.tick(now));
    const frame = this.jb.pull(now);
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
    if (!this.source.acceptAddress(from)) return void this.dropped['foreign-source']++;
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
    if (!this.source.acceptPacket(p.ssrc, p.sequenceNumber, p.timestamp, now)) return void this.dropped['unknown-ssrc']++;
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

  private onRtcp(data: Buffer, from: DatagramAddress): void {
    if (from.address !== this.source.remote.address) return void this.dropped['foreign-source']++;
    let plain = data;
    if (this.receiveSrtp) {
      const r = this.receiveSrtp.unprotectRtcp(data);
      if (!r.ok) return void this.dropped.srtp++;
      plain = r.value;
    }
    if (!this.rtcp.receive(plain)) this.dropped.rtcp++;
  }

  private emitDtmf(notices: TelephoneEventNotice[]): void {
    for (const n of notices) {
      const key = dtmfKey(n.event);
      if (key === undefined) continue;
      this.emit('dtmf', n.type === 'begin'
        ? { key, event: n.event, phase: 'begin' }
        : { key, event: n.event, phase: 'end', durationMs: (n.duration * 1000) / 8000 });
    }
  }

  /** RTP packets taken in so far (read every frame by the inactivity clock: no stats object built). */
  get packetsReceived(): number {
    return this.counters.packetsReceived;
  }

  getStats(): MediaStreamStats {
    const stats = this.source.stats;
    return {
      ...this.counters,
      dropped: { ...this.dropped },
      jitter: this.jb.stats,
      lossFraction: stats ? Math.max(0, stats.cumulativeLost) / Math.max(1, stats.cumulativeLost + stats.packetsReceived) : 0,
      interarrivalJitterMs: stats ? (stats.jitter / this.receiveClockRate) * 1000 : 0,
      roundTripMs: this.rtcp.roundTripMs,
    };
  }

  /** Stops timers and sends RTCP BYE; the ports stay the caller's to close. */
  close(): void {
    if (this.closed) return;
    this.rtcp.stop(true);
    this.dtmf.close();
    this.closed = true;
  }
}
