/**
 * RFC 8285 header extension elements inside an RTP header extension block:
 * the one-byte form (profile 0xBEDE) and the two-byte form (profile 0x100x).
 */
import { err, ok, type Result } from '../util/index.js';
import type { RtpHeaderExtension } from './rtp-packet.js';

export const ONE_BYTE_PROFILE = 0xbede;
/** §4.3: 0x100 in the top 12 bits; the low 4 bits are "appbits". */
export const TWO_BYTE_PROFILE = 0x1000;

export interface HeaderExtensionElement {
  id: number;
  data: Buffer;
}

/** True when the block uses one of the RFC 8285 forms. */
export function isRfc8285Extension(ext: RtpHeaderExtension): boolean {
  return ext.profile === ONE_BYTE_PROFILE || (ext.profile & 0xfff0) === TWO_BYTE_PROFILE;
}

/** Splits an RFC 8285 block into elements (data are views). Padding octets (0) are skipped. */
export function parseHeaderExtensionElements(ext: RtpHeaderExtension): Result<HeaderExtensionElement[], string> {
  const d = ext.data;
  const out: HeaderExtensionElement[] = [];
  let pos = 0;
  if (ext.profile === ONE_BYTE_PROFILE) {
    while (pos < d.length) {
      const b = d[pos]!;
      if (b === 0) { pos++; continue; } // §4.2: padding
      const id = b >> 4;
      // §4.2: ID 15 is reserved; processing of the extension stops there.
      if (id === 15) break;
      const len = (b & 0x0f) + 1;
      if (pos + 1 + len > d.length) return err(`one-byte element ${id} past the end`);
      out.push({ id, data: d.subarray(pos + 1, pos + 1 + len) });
      pos += 1 + len;
    }
    return ok(out);
  }
  if ((ext.profile & 0xfff0) === TWO_BYTE_PROFILE) {
    while (pos < d.length) {
      const id = d[pos]!;
      if (id === 0) { pos++; continue; } // §4.3: padding
      if (pos + 2 > d.length) return err(`two-byte element ${id} has no length`);
      const len = d[pos + 1]!;
      if (pos + 2 + len > d.length) return err(`two-byte element ${id} past the end`);
      out.push({ id, data: d.subarray(pos + 2, pos + 2 + len) });
      pos += 2 + len;
    }
    return ok(out);
  }
  return err(`profile 0x${ext.profile.toString(16)} is not an RFC 8285 form`);
}

/**
 * Builds a block from elements: the one-byte form when every id is 1..14 and every length
 * 1..16 (§4.2), else the two-byte form (§4.3, ids 1..255, lengths 0..255). Padded to 32 bits.
 */
export function buildHeaderExtension(elements: readonly HeaderExtensionElement[]): RtpHeaderExtension {
  const oneByte = elements.every((e) => e.id >= 1 && e.id <= 14 && e.data.length >= 1 && e.data.length <= 16);
  let size = 0;
  for (const e of elements) {
    if (e.id < 1 || e.id > 255 || e.data.length > 255) throw new RangeError(`extension element id ${e.id} / length ${e.data.length} not representable`);
    size += (oneByte ? 1 : 2) + e.data.length;
  }
  const data = Buffer.alloc((size + 3) & ~3);
  let pos = 0;
  for (const e of elements) {
    if (oneByte) data[pos++] = (e.id << 4) | (e.data.length - 1);
    else { data[pos++] = e.id; data[pos++] = e.data.length; }
    pos += e.data.copy(data, pos);
  }
  return { profile: oneByte ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE, data };
}
