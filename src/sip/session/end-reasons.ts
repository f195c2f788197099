// Why a session ended, from a final response status or a local/remote action.

export type EndReason =
  | 'local-bye' | 'remote-bye'
  /** We cancelled our INVITE / the caller cancelled theirs. */
  | 'cancelled' | 'remote-cancelled'
  /** We answered the INVITE with a final error (UAS reject). */
  | 'rejected'
  | 'busy' | 'declined' | 'not-found' | 'unavailable' | 'no-answer' | 'timeout' | 'codec-mismatch'
  | 'redirected' | 'auth-failed' | 'forbidden' | 'unreachable' | 'request-terminated'
  /** UAS: no ACK for our 2xx within 64*T1 (RFC 3261 §13.3.1.4, Timer H style). */
  | 'no-ack'
  /** UAS: no PRACK for a reliable provisional within 64*T1 (RFC 3262 §3). */
  | 'no-prack'
  /** RFC 4028 §10: the session interval ran out without a refresh. */
  | 'session-expired'
  /** An INVITE with Replaces took this session's place (RFC 3891). */
  | 'replaced'
  /** The dialog is gone at the peer (481/408 to an in-dialog request, RFC 3261 §12.2.1.2). */
  | 'dialog-lost'
  | 'failed';

/** RFC 3261 §21 classes to reasons the phone can show. */
export function reasonForStatus(status: number): EndReason {
  switch (status) {
    case 486: case 600: return 'busy';
    case 603: return 'declined';
    case 404: case 604: case 410: case 484: return 'not-found';
    case 480: case 503: case 502: return 'unavailable';
    case 408: case 504: return 'no-answer';
    case 488: case 606: case 415: return 'codec-mismatch';
    case 401: case 407: return 'auth-failed';
    case 403: return 'forbidden';
    case 487: return 'request-terminated';
  }
  if (status >= 300 && status < 400) return 'redirected';
  return 'failed';
}
