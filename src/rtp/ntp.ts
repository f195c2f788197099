/** NTP timestamps as RTCP uses them (RFC 3550 §4): seconds since 1900 and a 32-bit fraction. */

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
const NTP_UNIX_OFFSET = 2208988800;

export interface NtpTime {
  seconds: number;
  fraction: number;
}

/** NTP time for a Unix time in milliseconds (wall clock, e.g. `Date.now()`). */
export function ntpFromMs(unixMs: number): NtpTime {
  const total = unixMs / 1000 + NTP_UNIX_OFFSET;
  const seconds = Math.floor(total);
  return { seconds: seconds >>> 0, fraction: Math.floor((total - seconds) * 0x100000000) >>> 0 };
}

/** Unix milliseconds for an NTP time (era 0). */
export function msFromNtp(seconds: number, fraction: number): number {
  return (seconds - NTP_UNIX_OFFSET + fraction / 0x100000000) * 1000;
}

/** §4: the middle 32 bits of a 64-bit NTP timestamp (used by LSR and DLSR). */
export function ntpMiddle32(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}
