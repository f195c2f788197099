// The messages between phone-process.ts (the test) and phone-process-child.ts (a Phone in its
// own process) over the Node IPC channel. Plain JSON values only.
import type { AccountSettings } from '../../src/phone/index.js';

export interface PhoneProcessConfig {
  /** The account (none: direct calls only, `sip:user@host`). */
  account?: AccountSettings;
  /** The tone every call of this phone plays (Hz; 0 = silence). */
  toneHz: number;
  /** RTP inactivity limit (default 0: never, so held calls in slow tests stay up). */
  rtpTimeoutMs?: number;
  maxLines?: number;
  /** RFC 3262 100rel: 'required' makes our 1xx reliable (and our INVITEs require it). */
  prack?: 'off' | 'supported' | 'required';
  /** SDES-SRTP (default off). */
  srtp?: 'off' | 'optional' | 'mandatory';
  /** Detect DTMF digits sent as audio (reported as dtmf via 'inband'). */
  inbandDtmf?: boolean;
}

/** What the test asks of the child. Call ids are the child's `call-N`. */
export type ChildOp =
  /** One of the shared `phoneCommands` (dial, answer, hangup, hold, swap, transfer ...). */
  | { op: 'command'; name: string; args: string[] }
  /** Tone levels in the last `lastMs` heard on `calls` (default: all live calls, summed); `windowMs`: the strongest window of that length. */
  | { op: 'tone'; freqs: number[]; lastMs: number; windowMs?: number; calls?: string[] }
  /** Plays `hz` (several: a chord) on one call, for `onMs` then silence; or a steady `hz` on every call from now on (no call). */
  | { op: 'play'; hz: number | number[]; onMs?: number; call?: string }
  /** Phone.dial with extra headers; answers the call id. */
  | { op: 'dial'; target: string; headers?: Array<[string, string]> }
  /** Changes the account's settings at run time (null removes a setting), and the phone's REFER policy / DTMF mode. */
  | { op: 'set'; account: { [K in keyof AccountSettings]?: AccountSettings[K] | null }; phone?: { referPolicy?: 'accept' | 'reject'; dtmfMode?: 'rfc4733' | 'info' | 'info-dtmf' } }
  | { op: 'dtmf'; digits: string; mode: 'rfc4733' | 'info' | 'info-dtmf'; call?: string }
  | { op: 'flash'; mode: 'rfc4733' | 'info' | 'info-dtmf'; call?: string }
  | { op: 'hold'; hold: boolean; method: 'INVITE' | 'UPDATE'; call?: string }
  /** A new offer with only these codecs (by name), by re-INVITE or UPDATE. */
  | { op: 'reoffer'; method: 'INVITE' | 'UPDATE'; codecs: string[]; call?: string }
  | { op: 'conference'; calls: string[] }
  | { op: 'split' }
  | { op: 'close' };

/** A request as sent: `id` pairs it with its reply. */
export type ChildRequest = ChildOp & { id: number };

/** What `tone` answers: RMS of the audio, and per frequency (key: Hz) its share of the power and level. */
export interface ToneReport {
  rms: number;
  tones: Record<string, { ratio: number; dbov: number }>;
}

/** An event from the child: `event` is the name, `call` the call id when it concerns one. */
export interface PhoneProcessEvent {
  event: string;
  call?: string;
  /** Wall-clock ms in the child when it happened. */
  at: number;
  [field: string]: unknown;
}
