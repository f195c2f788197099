/**
 * RTCP packets and compound packets (RFC 3550 §6.4 to §6.7, validity checks of A.2).
 * Parsers never throw on peer input; writers throw only on packets we built wrongly.
 */
import { err, ok, type Result } from '../util/index.js';
import {
  RTCP_APP, RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR,
  type RtcpPacket, type RtcpReportBlock, type RtcpSdesChunk, type RtcpSdesItem,
} from './rtcp-types.js';
import { RTCP_XR, parseXrBody, sizeOfXrBody, writeXrBody } from './rtcp-xr.js';

export * from './rtcp-types.js';
export * from './rtcp-xr.js';

const REPORT_BLOCK_SIZE = 24;

function parseReportBlocks(buf: Buffer, pos: number, count: number): RtcpReportBlock[] {
  const out: RtcpReportBlock[] = [];
  for (let i = 0; i < count; i++, pos += REPORT_BLOCK_SIZE) {
    out.push({
      ssrc: buf.readUInt32BE(pos),
      fractionLost: buf[pos + 4]!,
      cumulativeLost: buf.readIntBE(pos + 5, 3),
      extendedHighestSequence: buf.readUInt32BE(pos + 8),
      jitter: buf.readUInt32BE(pos + 12),
      lastSenderReport: buf.readUInt32BE(pos + 16),
      delaySinceLastSenderReport: buf.readUInt32BE(pos + 20),
    });
  }
  return out;
}

function parseSdesChunks(buf: Buffer, pos: number, end: number, count: number): Result<RtcpSdesChunk[], string> {
  const chunks: RtcpSdesChunk[] = [];
  const start = pos;
  for (let c = 0; c < count; c++) {
    if (pos + 4 > end) return err('SDES chunk past the end');
    const chunk: RtcpSdesChunk = { ssrc: buf.readUInt32BE(pos), items: [] };
    pos += 4;
    for (;;) {
      if (pos >= end) return err('SDES chunk without terminating null item');
      const type = buf[pos]!;
      if (type === 0) {
        // §6.5: the item list ends with a null octet, then nulls up to the next 32-bit boundary.
        pos = start + ((pos - start + 4) & ~3);
        break;
      }
      if (pos + 2 > end) return err('SDES item without length');
      const len = buf[pos + 1]!;
      if (pos + 2 + len > end) return err(`SDES item ${type} past the end`);
      chunk.items.push({ type, text: buf.toString('utf8', pos + 2, pos + 2 + len) });
      pos += 2 + len;
    }
    chunks.push(chunk);
  }
  if (pos > end) return err('SDES chunk padding past the end');
  return ok(chunks);
}

/**
 * Parses the RTCP packet at `offset` (within `length` octets); returns it and its size on the
 * wire (header length field + 1 words). Padding (P bit) is removed from the body.
 */
export function parseRtcpPacket(buf: Buffer, offset = 0, length = buf.length - offset): Result<{ packet: RtcpPacket; size: number }, string> {
  if (offset < 0 || length < 0 || offset + length > buf.length) return err('length beyond buffer');
  if (length < 4) return err('shorter than the 4-octet RTCP header');
  const b0 = buf[offset]!;
  if (b0 >> 6 !== 2) return err(`version ${b0 >> 6}, not 2`);
  const count = b0 & 0x1f;
  const packetType = buf[offset + 1]!;
  const size = (buf.readUInt16BE(offset + 2) + 1) * 4;
  if (size > length) return err(`length field says ${size} octets, ${length} available`);
  let end = offset + size;
  if (b0 & 0x20) {
    const pad = buf[end - 1]!;
    if (pad === 0 || pad > size - 4) return err('bad padding count');
    end -= pad;
  }
  let pos = offset + 4;
  switch (packetType) {
    case RTCP_SR:
    case RTCP_RR: {
      const infoSize = packetType === RTCP_SR ? 24 : 4;
      if (pos + infoSize + count * REPORT_BLOCK_SIZE > end) return err(`${packetType === RTCP_SR ? 'SR' : 'RR'} with ${count} report blocks past the end`);
      const ssrc = buf.readUInt32BE(pos);
      if (packetType === RTCP_SR) {
        const reports = parseReportBlocks(buf, pos + 24, count);
        const extension = buf.subarray(pos + 24 + count * REPORT_BLOCK_SIZE, end);
        return ok({ size, packet: {
          type: 'sr', ssrc, ntpSeconds: buf.readUInt32BE(pos + 4), ntpFraction: buf.readUInt32BE(pos + 8),
          rtpTimestamp: buf.readUInt32BE(pos + 12), packetCount: buf.readUInt32BE(pos + 16), octetCount: buf.readUInt32BE(pos + 20),
          reports, extension,
        } });
      }
      const reports = parseReportBlocks(buf, pos + 4, count);
      return ok({ size, packet: { type: 'rr', ssrc, reports, extension: buf.subarray(pos + 4 + count * REPORT_BLOCK_SIZE, end) } });
    }
    case RTCP_SDES: {
      const chunks = parseSdesChunks(buf, pos, end, count);
      if (!chunks.ok) return chunks;
      return ok({ size, packet: { type: 'sdes', chunks: chunks.value } });
    }
    case RTCP_BYE: {
      if (pos + count * 4 > end) return err('BYE source list past the end');
      const sources: number[] = [];
      for (let i = 0; i < count; i++, pos += 4) sources.push(buf.readUInt32BE(pos));
      let reason: string | null = null;
      if (pos < end) {
        const len = buf[pos]!;
        if (pos + 1 + len > end) return err('BYE reason past the end');
        reason = buf.toString('utf8', pos + 1, pos + 1 + len);
      }
      return ok({ size, packet: { type: 'bye', sources, reason } });
    }
    case RTCP_APP: {
      if (pos + 8 > end) return err('APP shorter than SSRC and name');
      return ok({ size, packet: {
        type: 'app', subtype: count, ssrc: buf.readUInt32BE(pos), name: buf.toString('latin1', pos + 4, pos + 8), data: buf.subarray(pos + 8, end),
      } });
    }
    case RTCP_XR: {
      const xr = parseXrBody(buf, pos, end);
      return xr.ok ? ok({ size, packet: xr.value }) : xr;
    }
    default:
      return ok({ size, packet: { type: 'other', packetType, count, body: buf.subarray(pos, end) } });
  }
}

/**
 * Parses a compound packet (§6.1) with the checks of A.2: every packet version 2, lengths adding
 * up exactly, padding only on the last packet and, unless `reducedSize` (RFC 5506), SR or RR first.
 */
export function parseRtcpCompound(buf: Buffer, offset = 0, length = buf.length - offset, opts: { reducedSize?: boolean } = {}): Result<RtcpPacket[], string> {
  if (offset < 0 || length < 0 || offset + length > buf.length) return err('length beyond buffer');
  const packets: RtcpPacket[] = [];
  const end = offset + length;
  let pos = offset;
  while (pos < end) {
    const r = parseRtcpPacket(buf, pos, end - pos);
    if (!r.ok) return err(`packet ${packets.length + 1}: ${r.error}`);
    if (buf[pos]! & 0x20 && pos + r.value.size !== end) return err(`packet ${packets.length + 1}: padding before the last packet`);
    packets.push(r.value.packet);
    pos += r.value.size;
  }
  if (packets.length === 0) return err('empty compound packet');
  if (!opts.reducedSize && packets[0]!.type !== 'sr' && packets[0]!.type !== 'rr') return err('compound packet does not start with SR or RR');
  return ok(packets);
}

const pad4 = (n: number): number => (n + 3) & ~3;

function sdesChunkSize(chunk: RtcpSdesChunk): number {
  let n = 4;
  for (const item of chunk.items) n += 2 + Buffer.byteLength(item.text, 'utf8');
  return pad4(n + 1);
}

/** Octets `writeRtcpPacket` writes for `pkt`. */
export function sizeOfRtcpPacket(pkt: RtcpPacket): number {
  switch (pkt.type) {
    case 'sr': return 28 + pkt.reports.length * REPORT_BLOCK_SIZE + pkt.extension.length;
    case 'rr': return 8 + pkt.reports.length * REPORT_BLOCK_SIZE + pkt.extension.length;
    case 'sdes': return 4 + pkt.chunks.reduce((n, c) => n + sdesChunkSize(c), 0);
    case 'bye': return 4 + pkt.sources.length * 4 + (pkt.reason === null ? 0 : pad4(1 + Buffer.byteLength(pkt.reason, 'utf8')));
    case 'app': return 12 + pkt.data.length;
    case 'xr': return 4 + sizeOfXrBody(pkt);
    case 'other': return 4 + pkt.body.length;
  }
}

function writeReportBlocks(reports: RtcpReportBlock[], buf: Buffer, pos: number): number {
  for (const r of reports) {
    buf.writeUInt32BE(r.ssrc >>> 0, pos);
    buf[pos + 4] = r.fractionLost & 0xff;
    buf.writeIntBE(Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost)), pos + 5, 3);
    buf.writeUInt32BE(r.extendedHighestSequence >>> 0, pos + 8);
    buf.writeUInt32BE(r.jitter >>> 0, pos + 12);
    buf.writeUInt32BE(r.lastSenderReport >>> 0, pos + 16);
    buf.writeUInt32BE(r.delaySinceLastSenderReport >>> 0, pos + 20);
    pos += REPORT_BLOCK_SIZE;
  }
  return pos;
}

function writeSdesItems(items: RtcpSdesItem[], buf: Buffer, pos: number): number {
  for (const item of items) {
    const len = Buffer.byteLength(item.text, 'utf8');
    if (len > 255 || item.type < 1 || item.type > 255) throw new RangeError(`SDES item ${item.type} of ${len} octets not representable`);
    buf[pos] = item.type;
    buf[pos + 1] = len;
    pos += 2 + buf.write(item.text, pos + 2, 'utf8');
  }
  return pos;
}

/** Writes one RTCP packet at `offset`; returns octets written. */
export function writeRtcpPacket(pkt: RtcpPacket, buf: Buffer, offset = 0): number {
  const size = sizeOfRtcpPacket(pkt);
  if (size % 4 !== 0) throw new RangeError('RTCP packet body must be a multiple of 4 octets');
  if (offset + size > buf.length) throw new RangeError(`RTCP packet needs ${size} octets at ${offset}`);
  let count: number;
  let type: number;
  let pos = offset + 4;
  switch (pkt.type) {
    case 'sr':
      type = RTCP_SR; count = pkt.reports.length;
      buf.writeUInt32BE(pkt.ssrc >>> 0, pos);
      buf.writeUInt32BE(pkt.ntpSeconds >>> 0, pos + 4);
      buf.writeUInt32BE(pkt.ntpFraction >>> 0, pos + 8);
      buf.writeUInt32BE(pkt.rtpTimestamp >>> 0, pos + 12);
      buf.writeUInt32BE(pkt.packetCount >>> 0, pos + 16);
      buf.writeUInt32BE(pkt.octetCount >>> 0, pos + 20);
      pos = writeReportBlocks(pkt.reports, buf, pos + 24);
      pkt.extension.copy(buf, pos);
      break;
    case 'rr':
      type = RTCP_RR; count = pkt.reports.length;
      buf.writeUInt32BE(pkt.ssrc >>> 0, pos);
      pos = writeReportBlocks(pkt.reports, buf, pos + 4);
      pkt.extension.copy(buf, pos);
      break;
    case 'sdes':
      type = RTCP_SDES; count = pkt.chunks.length;
      for (const chunk of pkt.chunks) {
        const chunkEnd = pos + sdesChunkSize(chunk);
        buf.writeUInt32BE(chunk.ssrc >>> 0, pos);
        pos = writeSdesItems(chunk.items, buf, pos + 4);
        buf.fill(0, pos, chunkEnd); // null item plus padding to 32 bits
        pos = chunkEnd;
      }
      break;
    case 'bye':
      type = RTCP_BYE; count = pkt.sources.length;
      for (const s of pkt.sources) { buf.writeUInt32BE(s >>> 0, pos); pos += 4; }
      if (pkt.reason !== null) {
        const len = Buffer.byteLength(pkt.reason, 'utf8');
        if (len > 255) throw new RangeError('BYE reason over 255 octets');
        buf.fill(0, pos, offset + size);
        buf[pos] = len;
        buf.write(pkt.reason, pos + 1, 'utf8');
      }
      break;
    case 'app':
      type = RTCP_APP; count = pkt.subtype;
      if (pkt.name.length !== 4) throw new RangeError('APP name must be 4 ASCII characters');
      buf.writeUInt32BE(pkt.ssrc >>> 0, pos);
      buf.write(pkt.name, pos + 4, 'latin1');
      pkt.data.copy(buf, pos + 8);
      break;
    case 'xr':
      type = RTCP_XR; count = 0;
      writeXrBody(pkt, buf, pos);
      break;
    case 'other':
      type = pkt.packetType; count = pkt.count;
      pkt.body.copy(buf, pos);
      break;
  }
  if (count > 31) throw new RangeError(`RTCP count ${count} over 31`);
  buf[offset] = 0x80 | count;
  buf[offset + 1] = type;
  buf.writeUInt16BE(size / 4 - 1, offset + 2);
  return size;
}

export function sizeOfRtcpCompound(pkts: readonly RtcpPacket[]): number {
  let n = 0;
  for (const p of pkts) n += sizeOfRtcpPacket(p);
  return n;
}

/** Writes the packets back to back (a compound packet, §6.1); returns octets written. */
export function writeRtcpCompound(pkts: readonly RtcpPacket[], buf: Buffer, offset = 0): number {
  let pos = offset;
  for (const p of pkts) pos += writeRtcpPacket(p, buf, pos);
  return pos - offset;
}

/** Allocates and writes a compound packet. */
export function encodeRtcpCompound(pkts: readonly RtcpPacket[]): Buffer {
  const buf = Buffer.allocUnsafe(sizeOfRtcpCompound(pkts));
  writeRtcpCompound(pkts, buf, 0);
  return buf;
}
