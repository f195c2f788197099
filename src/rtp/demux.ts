/** Telling RTP from RTCP on one port (RFC 5761 §4, rtcp-mux). */

/**
 * True when `buf` looks like RTCP: version 2 and a second octet (RTCP packet type, or RTP M bit
 * plus payload type) in 192..223, the range §4 reserves so RTP payload types 64..95 never clash.
 */
export function isRtcpPacket(buf: Buffer): boolean {
  if (buf.length < 4 || buf[0]! >> 6 !== 2) return false;
  const pt = buf[1]!;
  return pt >= 192 && pt <= 223;
}
