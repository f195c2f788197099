/**
 * Why an SRTP/SRTCP packet was refused: a stable `code` (for drop counters: a replay is routine,
 * a bad tag is not) and a `reason` for people. Shared constant objects, so a flood of junk
 * allocates nothing beyond the result.
 */
export type SrtpErrorCode = 'srtp-malformed' | 'srtp-auth-failed' | 'srtp-replayed' | 'srtp-too-old' | 'srtp-index-out-of-range';

export interface SrtpError {
  readonly code: SrtpErrorCode;
  readonly reason: string;
}

const e = (code: SrtpErrorCode, reason: string): SrtpError => Object.freeze({ code, reason });

export const SrtpErrors = {
  notRtp: e('srtp-malformed', 'not an RTP packet (short, bad version, or header past the end)'),
  shortRtp: e('srtp-malformed', 'shorter than header and authentication tag'),
  shortRtcp: e('srtp-malformed', 'shorter than RTCP header, SRTCP index and tag'),
  rtcpVersion: e('srtp-malformed', 'RTCP version is not 2'),
  beforeStart: e('srtp-index-out-of-range', 'packet index before the start of the session'),
  beyondIndexSpace: e('srtp-index-out-of-range', 'packet index beyond 2^48'),
  replayed: e('srtp-replayed', 'replayed packet'),
  tooOld: e('srtp-too-old', 'packet older than the replay window'),
  authFailed: e('srtp-auth-failed', 'authentication failed'),
} as const;
