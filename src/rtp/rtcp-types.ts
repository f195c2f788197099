/** RTCP packet shapes (RFC 3550 §6.4 to §6.7). */
import type { RtcpXr } from './rtcp-xr.js';

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;

/** §6.4.1 reception report block. `cumulativeLost` is signed 24-bit. */
export interface RtcpReportBlock {
  ssrc: number;
  fractionLost: number;
  cumulativeLost: number;
  extendedHighestSequence: number;
  jitter: number;
  lastSenderReport: number;
  delaySinceLastSenderReport: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
  /** Profile-specific extension after the report blocks (multiple of 4 octets), or empty. */
  extension: Buffer;
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
  extension: Buffer;
}

/** §6.5 item types. */
export const SdesItemType = { CNAME: 1, NAME: 2, EMAIL: 3, PHONE: 4, LOC: 5, TOOL: 6, NOTE: 7, PRIV: 8 } as const;

export interface RtcpSdesItem {
  type: number;
  /** UTF-8 text (PRIV keeps its prefix-length octet and prefix inside). */
  text: string;
}

export interface RtcpSdesChunk {
  ssrc: number;
  items: RtcpSdesItem[];
}

export interface RtcpSdes {
  type: 'sdes';
  chunks: RtcpSdesChunk[];
}

export interface RtcpBye {
  type: 'bye';
  sources: number[];
  reason: string | null;
}

export interface RtcpApp {
  type: 'app';
  subtype: number;
  ssrc: number;
  /** Four ASCII characters. */
  name: string;
  data: Buffer;
}

/** Any other packet type (e.g. RTPFB/PSFB/XR), kept as its body after the 4-octet header. */
export interface RtcpOther {
  type: 'other';
  packetType: number;
  count: number;
  body: Buffer;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSdes | RtcpBye | RtcpApp | RtcpXr | RtcpOther;
