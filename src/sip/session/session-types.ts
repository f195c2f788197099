// The typed face of INVITE sessions: bodies, offer/answer hooks, events, options.
import type { HeaderLines, SipMessage } from '../message/index.js';
import type { EndReason } from './end-reasons.js';
import type { DtmfInfo } from './dtmf-info.js';
import type { SipfragStatus } from './sipfrag.js';

/** A session description passed through opaquely (the phone layer parses SDP). */
export interface SessionBody {
  contentType: string;
  body: Buffer;
}

/**
 * Offer/answer hooks (RFC 3264 via RFC 3261 §13.2.1, RFC 3262 §5, RFC 3311 §5). Synchronous:
 * the phone layer answers from its SDP state at once.
 */
export interface OfferAnswerHooks {
  /** Make an offer: an offerless INVITE/re-INVITE came in, or we refresh without a new offer. */
  createOffer(): SessionBody;
  /** Answer the peer's offer; undefined refuses it (488 Not Acceptable Here). */
  answerOffer(offer: SessionBody): SessionBody | undefined;
}

export type SessionRole = 'uac' | 'uas';

export type SessionState =
  /** UAC: INVITE sent, no dialog yet; UAS: INVITE received, not answered. */
  | 'calling' | 'incoming'
  /** 1xx with a To tag sent / received. */
  | 'early'
  /** UAS: 2xx sent, waiting for the ACK. */
  | 'accepted'
  | 'confirmed'
  | 'terminated';

/** The referral a peer asked for (RFC 3515); the phone answers it. */
export interface IncomingRefer {
  /** Refer-To value (name-addr text) and its URI text. */
  referTo: string;
  referToUri: string;
  /** Referred-By value, when present (RFC 3892). */
  referredBy: string | undefined;
  /** Replaces embedded in the Refer-To URI (attended transfer, RFC 3891 §5), decoded. */
  replaces: string | undefined;
  /** 202 Accepted and the first NOTIFY (100 Trying); then report the new call's progress. */
  accept(): ReferProgress;
  /** Refuse (default 603). */
  reject(status?: number): void;
}

/** The notifier of an accepted REFER (RFC 3515 §2.4.4-5). */
export interface ReferProgress {
  /** Sends a NOTIFY with a sipfrag of `status`; a final status ends the subscription. */
  notify(status: number, reason?: string): void;
  /** Reports the call made for the REFER: its 1xx, 200 when answered, its failure status when it ends unanswered. */
  follow(call: { on(listener: (e: SessionEvent) => void): () => void }): void;
}

export type SessionEvent =
  /** A 1xx (UAC received / UAS sent). `toTag` names the early dialog (forking). */
  | { type: 'progress'; status: number; reason: string; toTag: string | undefined; response: SipMessage }
  /** Early media: the SDP of a 1xx (RFC 3261 §13.2.1, RFC 3262). */
  | { type: 'early-media'; body: SessionBody; toTag: string }
  /** The call is up. UAC: 2xx received (ACK sent); UAS: ACK received. `remote` is the peer's SDP from this step. */
  | { type: 'answered'; remote: SessionBody | undefined }
  /** An in-dialog offer/answer finished (re-INVITE or UPDATE, either way). */
  | { type: 'media-changed'; local: SessionBody; remote: SessionBody; method: 'INVITE' | 'UPDATE' | 'PRACK'; direction: 'sent' | 'received' }
  /** Our re-INVITE/UPDATE was refused (not 491, which is retried). */
  | { type: 'offer-failed'; method: 'INVITE' | 'UPDATE'; status: number; reason: string }
  /** RFC 4028 session interval in force (after the 2xx or a refresh). */
  | { type: 'session-timer'; intervalS: number; weRefresh: boolean }
  | { type: 'info'; contentType: string; body: Buffer; request: SipMessage }
  | { type: 'dtmf-info'; dtmf: DtmfInfo }
  | { type: 'refer'; refer: IncomingRefer }
  /** Our REFER was answered (2xx accepted, else refused). */
  | { type: 'refer-response'; status: number; reason: string }
  /** NOTIFY of our REFER's subscription: the referred call's progress (RFC 3515 §2.4.5). */
  | { type: 'notify'; sipfrag: SipfragStatus | undefined; final: boolean }
  /** An INVITE with Replaces took this session's place (RFC 3891 §3); `by` is the new session. */
  | { type: 'replaced'; by: InviteSessionLike }
  | {
      type: 'ended';
      reason: EndReason;
      /** The final status involved (the failure response, 487, 200 to BYE ...). */
      status: number | undefined;
      /** The peer's reason phrase or ours. */
      text: string;
      /** 3xx targets, in q order (RFC 3261 §8.1.3.4); for `redirected`. */
      targets: string[];
    };

/** The parts of a session other sessions refer to (Replaces). */
export interface InviteSessionLike {
  readonly callId: string;
  readonly role: SessionRole;
  readonly state: SessionState;
}

/** RFC 4028 settings. */
export interface SessionTimerConfig {
  /** Session-Expires we ask for / accept at most, seconds (default 1800). */
  expires: number;
  /** Our Min-SE, seconds (RFC 4028 §5: at least 90). */
  minSE: number;
}

export type PrackMode = 'off' | 'supported' | 'required';

export interface OutgoingCallOptions {
  /** Request-URI and To. */
  target: string;
  /** Offer; absent for a late offer (RFC 3261 §13.2.1: offer in the 2xx, answer in the ACK). */
  offer?: SessionBody;
  /** Extra headers (Subject, Call-Info, P-Preferred-Identity ...). */
  headers?: HeaderLines;
  /** Replaces for an INVITE taking over a dialog (RFC 3891), header value. */
  replaces?: string;
  /** Referred-By to copy (RFC 3892) when this call follows a REFER. */
  referredBy?: string;
  /** Give up after this long without a final response (CANCEL sent, reason `no-answer`). */
  noAnswerTimeoutMs?: number;
}
