import type { Clock, TimerHandle } from '../util/index.js';
import {
  encodeRtcpCompound, ntpFromMs, parseRtcpCompound, rtcpInterval, roundTripTimeMs, SdesItemType, updateAverageRtcpSize,
  type ReceiverStatistics, type RtcpPacket,
} from '../rtp/index.js';

export interface RtcpReporterOptions {
  clock: Clock;
  ssrc: number;
  cname: string;
  clockRate: number;
  send(data: Buffer): void;
  /** Session bandwidth in octets/s; RTCP gets 5 % of it (RFC 3550 §6.2). Default: 64 kbit/s audio. */
  sessionBandwidth?: number;
  random?: () => number;
}

/**
 * Our side of RTCP for one stream: SR (or RR while not sending) with a report block about the peer
 * and SDES CNAME, at the RFC 3550 §6.3 randomised interval; reads the peer's reports for LSR/DLSR
 * round-trip time. Wall-clock NTP times come from the injected clock, offset to the Unix epoch once.
 */
export class RtcpReporter {
  roundTripMs: number | null = null;
  peerSaidBye = false;
  private readonly o: RtcpReporterOptions;
  private readonly epochOffset: number;
  private remote: ReceiverStatistics | null = null;
  private timer: TimerHandle | null = null;
  private initial = true;
  private averageSize = 100;
  private packetCount = 0;
  private octetCount = 0;
  private lastRtpTimestamp = 0;
  private lastRtpTimeMs = -1;
  private sentSinceReport = false;

  constructor(options: RtcpReporterOptions) {
    this.o = options;
    this.epochOffset = Date.now() - options.clock.now();
  }

  private wallMs(): number {
    return this.epochOffset + this.o.clock.now();
  }

  setRemote(stats: ReceiverStatistics): void {
    this.remote = stats;
  }

  /** Counts one RTP packet we sent (for the SR's counts and its RTP/NTP timestamp pair). */
  noteSent(rtpTimestamp: number, payloadOctets: number): void {
    this.packetCount++;
    this.octetCount += payloadOctets;
    this.lastRtpTimestamp = rtpTimestamp;
    this.lastRtpTimeMs = this.o.clock.now();
    this.sentSinceReport = true;
  }

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    const seconds = rtcpInterval({
      members: 2, senders: this.sentSinceReport ? 2 : 1, rtcpBandwidth: (this.o.sessionBandwidth ?? 8000) * 0.05,
      weSent: this.sentSinceReport, averageRtcpSize: this.averageSize, initial: this.initial,
    }, this.o.random ?? Math.random);
    this.timer = this.o.clock.setTimer(seconds * 1000, () => {
      this.report(false);
      this.schedule();
    });
  }

  /** Builds and sends one compound packet (SR or RR, SDES, and BYE when leaving). */
  private report(bye: boolean): void {
    const now = this.o.clock.now();
    const blocks = this.remote ? [this.remote.makeReportBlock(now)] : [];
    const packets: RtcpPacket[] = [];
    if (this.sentSinceReport || this.packetCount > 0) {
      const ntp = ntpFromMs(this.wallMs());
      // §6.4.1: the RTP timestamp of the same instant as the NTP time, extrapolated from the last packet.
      const rtpTs = (this.lastRtpTimestamp + Math.round(((now - this.lastRtpTimeMs) * this.o.clockRate) / 1000)) >>> 0;
      packets.push({ type: 'sr', ssrc: this.o.ssrc, ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: rtpTs,
        packetCount: this.packetCount >>> 0, octetCount: this.octetCount >>> 0, reports: blocks, extension: Buffer.alloc(0) });
    } else {
      packets.push({ type: 'rr', ssrc: this.o.ssrc, reports: blocks, extension: Buffer.alloc(0) });
    }
    packets.push({ type: 'sdes', chunks: [{ ssrc: this.o.ssrc, items: [{ type: SdesItemType.CNAME, text: this.o.cname }] }] });
    if (bye) packets.push({ type: 'bye', sources: [this.o.ssrc], reason: null });
    const data = encodeRtcpCompound(packets);
    this.averageSize = updateAverageRtcpSize(this.averageSize, data.length + 28);
    this.initial = false;
    this.sentSinceReport = false;
    this.o.send(data);
  }

  /** Takes a (decrypted) compound packet from the peer; false when it is not valid RTCP. */
  receive(data: Buffer): boolean {
    const parsed = parseRtcpCompound(data, 0, data.length, { reducedSize: true });
    if (!parsed.ok) return false;
    const now = this.o.clock.now();
    for (const p of parsed.value) {
      if (p.type === 'sr' && this.remote && p.ssrc === this.remote.ssrc) this.remote.onSenderReport(p.ntpSeconds, p.ntpFraction, now);
      if (p.type === 'sr' || p.type === 'rr') {
        for (const b of p.reports) if (b.ssrc === this.o.ssrc) this.roundTripMs = roundTripTimeMs(b, this.wallMs()) ?? this.roundTripMs;
      }
      if (p.type === 'bye') this.peerSaidBye = true;
    }
    this.averageSize = updateAverageRtcpSize(this.averageSize, data.length + 28);
    return true;
  }

  stop(sendBye: boolean): void {
    if (this.timer) this.o.clock.clearTimer(this.timer);
    this.timer = null;
    if (sendBye) this.report(true);
  }
}
