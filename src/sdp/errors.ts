/** Typed errors of the SDP layer; the call layer maps both to 488 Not Acceptable Here with `reason`. */

/** The body is not valid SDP: `line` is 1-based in the received text (0 when the fault is the whole body). */
export interface SdpMalformed {
  code: 'sdp-malformed';
  line: number;
  reason: string;
}

/** The SDP is well formed but no usable media could be agreed (RFC 3264 §6: answer 488). */
export interface SdpNotAcceptable {
  code: 'sdp-not-acceptable';
  reason: string;
  /** The m= line (1-based in the peer's text) the fault is about, when known. */
  line?: number;
}

export type SdpError = SdpMalformed | SdpNotAcceptable;

export const malformed = (line: number, reason: string): SdpMalformed => ({ code: 'sdp-malformed', line, reason });

export function notAcceptable(reason: string, line?: number): SdpNotAcceptable {
  return line === undefined ? { code: 'sdp-not-acceptable', reason } : { code: 'sdp-not-acceptable', reason, line };
}
