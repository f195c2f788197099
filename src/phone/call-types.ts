// The typed face of a call: states, events, end reasons.
import type { EndReason } from './sip-api.js';

export type CallDirection = 'outgoing' | 'incoming';

/**
 * dialing: INVITE sent, nothing back yet; ringing: 180/183 (or we ring); answering: our 200 sent,
 * waiting for the ACK; active: talking (held or not, see `held`); ended.
 */
export type CallState = 'dialing' | 'ringing' | 'answering' | 'active' | 'ended';

/** Why a call ended: the session's reasons plus the phone's own. */
export type CallEndReason = EndReason | 'rtp-timeout' | 'media-failed' | 'transferred' | 'merged-ended' | 'redirect-loop';

export interface CallEnd {
  reason: CallEndReason;
  /** The SIP status involved (486, 603, 200 to BYE ...), when one was. */
  status: number | undefined;
  /** The reason phrase or our explanation. */
  text: string;
  /** Whether the call was answered before it ended. */
  answered: boolean;
}

export type DtmfVia = 'rfc4733' | 'info' | 'inband';

export interface CallEvents {
  state: [CallState];
  /** A provisional: the far end rings (outgoing) or we ring (incoming). */
  ringing: [{ status: number; earlyMedia: boolean }];
  /** Media negotiated (initially, or changed by re-INVITE/UPDATE). */
  media: [{ codec: string; srtp: string | undefined; direction: string; remote: string }];
  answered: [];
  /** Hold state after an offer/answer: `local` we hold, `remote` the peer holds us. */
  held: [{ local: boolean; remote: boolean }];
  dtmf: [{ digit: string; via: DtmfVia }];
  /** Progress of a transfer we asked for (NOTIFY sipfrag), or the REFER's refusal. */
  'transfer-progress': [{ status: number; reason: string; final: boolean }];
  /** We were transferred (incoming REFER accepted) to `target`. */
  transferred: [{ target: string }];
  ended: [CallEnd];
}

/** One line for people: "486 Busy Here from sip:bob@example.com", "answered, ended by remote BYE". */
export function describeEnd(end: CallEnd, remote: string): string {
  if (end.answered) return `call with ${remote} ended (${end.reason.replace(/-/g, ' ')})`;
  if (end.status !== undefined && end.status >= 300) return `${end.status} ${end.text} from ${remote}`;
  return `${end.reason.replace(/-/g, ' ')}: ${end.text} (${remote})`;
}

/** Which end reasons count as a normal end of an answered call (CLI exit code 0). */
export function endedNormally(end: CallEnd): boolean {
  return end.answered && (end.reason === 'local-bye' || end.reason === 'remote-bye' || end.reason === 'transferred' || end.reason === 'replaced');
}
