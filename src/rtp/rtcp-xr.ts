/** RTCP XR (RFC 3611 §2) with the VoIP Metrics block (§4.7); other block types are kept raw. */
import { err, ok, type Result } from '../util/index.js';

export const RTCP_XR = 207;
export const XR_VOIP_METRICS = 7;
const VOIP_METRICS_SIZE = 36;

/** §4.7: every field as on the wire; signal and noise level are signed dB values (127 = unknown). */
export interface XrVoipMetrics {
  kind: 'voip-metrics';
  ssrc: number;
  lossRate: number;
  discardRate: number;
  burstDensity: number;
  gapDensity: number;
  burstDuration: number;
  gapDuration: number;
  roundTripDelay: number;
  endSystemDelay: number;
  signalLevel: number;
  noiseLevel: number;
  rerl: number;
  gmin: number;
  rFactor: number;
  extRFactor: number;
  mosLq: number;
  mosCq: number;
  rxConfig: number;
  jbNominal: number;
  jbMaximum: number;
  jbAbsMax: number;
}

export interface XrRawBlock {
  kind: 'raw';
  blockType: number;
  typeSpecific: number;
  /** Block contents after the 4-octet block header. */
  data: Buffer;
}

export type XrBlock = XrVoipMetrics | XrRawBlock;

export interface RtcpXr {
  type: 'xr';
  ssrc: number;
  blocks: XrBlock[];
}

/** Parses the XR body (after the RTCP header) in buf[pos..end). */
export function parseXrBody(buf: Buffer, pos: number, end: number): Result<RtcpXr, string> {
  if (pos + 4 > end) return err('XR without SSRC');
  const xr: RtcpXr = { type: 'xr', ssrc: buf.readUInt32BE(pos), blocks: [] };
  pos += 4;
  while (pos < end) {
    if (pos + 4 > end) return err('XR block header past the end');
    const blockType = buf[pos]!;
    const size = (buf.readUInt16BE(pos + 2) + 1) * 4;
    if (pos + size > end) return err(`XR block ${blockType} past the end`);
    if (blockType === XR_VOIP_METRICS && size === VOIP_METRICS_SIZE) {
      const p = pos + 4;
      xr.blocks.push({
        kind: 'voip-metrics', ssrc: buf.readUInt32BE(p),
        lossRate: buf[p + 4]!, discardRate: buf[p + 5]!, burstDensity: buf[p + 6]!, gapDensity: buf[p + 7]!,
        burstDuration: buf.readUInt16BE(p + 8), gapDuration: buf.readUInt16BE(p + 10),
        roundTripDelay: buf.readUInt16BE(p + 12), endSystemDelay: buf.readUInt16BE(p + 14),
        signalLevel: buf.readInt8(p + 16), noiseLevel: buf.readInt8(p + 17), rerl: buf[p + 18]!, gmin: buf[p + 19]!,
        rFactor: buf[p + 20]!, extRFactor: buf[p + 21]!, mosLq: buf[p + 22]!, mosCq: buf[p + 23]!,
        rxConfig: buf[p + 24]!, jbNominal: buf.readUInt16BE(p + 26), jbMaximum: buf.readUInt16BE(p + 28), jbAbsMax: buf.readUInt16BE(p + 30),
      });
    } else if (blockType === XR_VOIP_METRICS) {
      return err(`XR VoIP metrics block of ${size} octets, not ${VOIP_METRICS_SIZE}`);
    } else {
      xr.blocks.push({ kind: 'raw', blockType, typeSpecific: buf[pos + 1]!, data: buf.subarray(pos + 4, pos + size) });
    }
    pos += size;
  }
  return ok(xr);
}

export function sizeOfXrBody(xr: RtcpXr): number {
  let n = 4;
  for (const b of xr.blocks) n += b.kind === 'voip-metrics' ? VOIP_METRICS_SIZE : 4 + b.data.length;
  return n;
}

/** Writes the XR body at `pos`; returns the position after it. */
export function writeXrBody(xr: RtcpXr, buf: Buffer, pos: number): number {
  buf.writeUInt32BE(xr.ssrc >>> 0, pos);
  pos += 4;
  for (const b of xr.blocks) {
    if (b.kind === 'raw') {
      if (b.data.length % 4 !== 0) throw new RangeError('XR block data must be a multiple of 4 octets');
      buf[pos] = b.blockType;
      buf[pos + 1] = b.typeSpecific;
      buf.writeUInt16BE(b.data.length / 4, pos + 2);
      b.data.copy(buf, pos + 4);
      pos += 4 + b.data.length;
      continue;
    }
    buf[pos] = XR_VOIP_METRICS;
    buf[pos + 1] = 0;
    buf.writeUInt16BE(VOIP_METRICS_SIZE / 4 - 1, pos + 2);
    const p = pos + 4;
    buf.writeUInt32BE(b.ssrc >>> 0, p);
    buf[p + 4] = b.lossRate; buf[p + 5] = b.discardRate; buf[p + 6] = b.burstDensity; buf[p + 7] = b.gapDensity;
    buf.writeUInt16BE(b.burstDuration, p + 8); buf.writeUInt16BE(b.gapDuration, p + 10);
    buf.writeUInt16BE(b.roundTripDelay, p + 12); buf.writeUInt16BE(b.endSystemDelay, p + 14);
    buf.writeInt8(b.signalLevel, p + 16); buf.writeInt8(b.noiseLevel, p + 17); buf[p + 18] = b.rerl; buf[p + 19] = b.gmin;
    buf[p + 20] = b.rFactor; buf[p + 21] = b.extRFactor; buf[p + 22] = b.mosLq; buf[p + 23] = b.mosCq;
    buf[p + 24] = b.rxConfig; buf[p + 25] = 0;
    buf.writeUInt16BE(b.jbNominal, p + 26); buf.writeUInt16BE(b.jbMaximum, p + 28); buf.writeUInt16BE(b.jbAbsMax, p + 30);
    pos += VOIP_METRICS_SIZE;
  }
  return pos;
}
