/**
 * RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
 * Parsing fills a reusable object; the payload and extension data are views into the input.
 */
import { err, ok, type Result } from '../util/index.js';

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_SIZE = 12;

/** A header extension as carried on the wire: 16-bit profile-defined field and data (a multiple of 4 octets). */
export interface RtpHeaderExtension {
  profile: number;
  data: Buffer;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | null;
  payload: Buffer;
  /** Number of padding octets including the count octet itself; 0 means the P bit is clear. */
  paddingLength: number;
}

const empty = Buffer.alloc(0);

/** A blank packet, e.g. the reusable target for `parseRtpPacket(..., into)`. */
export function createRtpPacket(): RtpPacket {
  return { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: [], extension: null, payload: empty, paddingLength: 0 };
}

/**
 * Parses one RTP packet of `length` octets at `offset`. Fills `into` when given (hot path:
 * no allocation beyond the payload view and the result). Never throws on peer input.
 */
export function parseRtpPacket(buf: Buffer, offset = 0, length = buf.length - offset, into: RtpPacket = createRtpPacket()): Result<RtpPacket, string> {
  if (offset < 0 || length < 0 || offset + length > buf.length) return err('length beyond buffer');
  if (length < RTP_FIXED_HEADER_SIZE) return err('shorter than the 12-octet fixed header');
  const b0 = buf[offset]!;
  const b1 = buf[offset + 1]!;
  // §5.1: V must be 2.
  if (b0 >> 6 !== RTP_VERSION) return err(`version ${b0 >> 6}, not 2`);
  const cc = b0 & 0x0f;
  const end = offset + length;
  let pos = offset + RTP_FIXED_HEADER_SIZE;
  if (pos + cc * 4 > end) return err('CSRC count past the end');
  into.marker = (b1 & 0x80) !== 0;
  into.payloadType = b1 & 0x7f;
  into.sequenceNumber = (buf[offset + 2]! << 8) | buf[offset + 3]!;
  into.timestamp = buf.readUInt32BE(offset + 4);
  into.ssrc = buf.readUInt32BE(offset + 8);
  const csrcs = into.csrcs;
  csrcs.length = cc;
  for (let i = 0; i < cc; i++, pos += 4) csrcs[i] = buf.readUInt32BE(pos);
  // §5.3.1: extension header = 16-bit profile field, 16-bit length in 32-bit words, then data.
  if (b0 & 0x10) {
    if (pos + 4 > end) return err('extension header past the end');
    const profile = (buf[pos]! << 8) | buf[pos + 1]!;
    const words = (buf[pos + 2]! << 8) | buf[pos + 3]!;
    pos += 4;
    if (pos + words * 4 > end) return err('extension data past the end');
    into.extension = { profile, data: buf.subarray(pos, pos + words * 4) };
    pos += words * 4;
  } else {
    into.extension = null;
  }
  let payloadEnd = end;
  // §5.1: with P set, the last octet counts the padding octets including itself.
  if (b0 & 0x20) {
    const pad = buf[end - 1]!;
    if (pad === 0) return err('padding count of zero');
    if (pad > end - pos) return err('padding past the header');
    payloadEnd = end - pad;
    into.paddingLength = pad;
  } else {
    into.paddingLength = 0;
  }
  into.payload = buf.subarray(pos, payloadEnd);
  return ok(into);
}

/** Octets `writeRtpPacket` will write for `pkt`. */
export function sizeOfRtpPacket(pkt: RtpPacket): number {
  return RTP_FIXED_HEADER_SIZE + pkt.csrcs.length * 4 + (pkt.extension ? 4 + pkt.extension.data.length : 0) + pkt.payload.length + pkt.paddingLength;
}

/** Writes `pkt` at `offset`; returns the number of octets written. Throws on a packet we built wrongly. */
export function writeRtpPacket(pkt: RtpPacket, buf: Buffer, offset = 0): number {
  const size = sizeOfRtpPacket(pkt);
  if (offset + size > buf.length) throw new RangeError(`RTP packet needs ${size} octets at ${offset}, buffer has ${buf.length}`);
  const cc = pkt.csrcs.length;
  if (cc > 15) throw new RangeError('more than 15 CSRCs');
  if (pkt.paddingLength > 255) throw new RangeError('padding over 255 octets');
  const ext = pkt.extension;
  if (ext && (ext.data.length % 4 !== 0 || ext.data.length > 0x3fffc)) throw new RangeError('extension data must be a multiple of 4 octets under 256 KiB');
  buf[offset] = (RTP_VERSION << 6) | (pkt.paddingLength > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | cc;
  buf[offset + 1] = (pkt.marker ? 0x80 : 0) | (pkt.payloadType & 0x7f);
  buf[offset + 2] = (pkt.sequenceNumber >> 8) & 0xff;
  buf[offset + 3] = pkt.sequenceNumber & 0xff;
  buf.writeUInt32BE(pkt.timestamp >>> 0, offset + 4);
  buf.writeUInt32BE(pkt.ssrc >>> 0, offset + 8);
  let pos = offset + RTP_FIXED_HEADER_SIZE;
  for (let i = 0; i < cc; i++, pos += 4) buf.writeUInt32BE(pkt.csrcs[i]! >>> 0, pos);
  if (ext) {
    buf.writeUInt16BE(ext.profile & 0xffff, pos);
    buf.writeUInt16BE(ext.data.length / 4, pos + 2);
    pos += 4;
    pos += ext.data.copy(buf, pos);
  }
  pos += pkt.payload.copy(buf, pos);
  if (pkt.paddingLength > 0) {
    buf.fill(0, pos, pos + pkt.paddingLength - 1);
    pos += pkt.paddingLength;
    buf[pos - 1] = pkt.paddingLength;
  }
  return pos - offset;
}

/**
 * Length of the RTP header (fixed part, CSRCs, extension) of the packet in `buf[0..length)`,
 * or -1 when it does not fit. Used where only the header boundary matters (SRTP).
 */
export function rtpHeaderLength(buf: Buffer, length = buf.length): number {
  if (length < RTP_FIXED_HEADER_SIZE || buf[0]! >> 6 !== RTP_VERSION) return -1;
  let n = RTP_FIXED_HEADER_SIZE + (buf[0]! & 0x0f) * 4;
  if (buf[0]! & 0x10) {
    if (n + 4 > length) return -1;
    n += 4 + ((buf[n + 2]! << 8) | buf[n + 3]!) * 4;
  }
  return n > length ? -1 : n;
}
