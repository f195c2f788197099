// DTMF out of a call: RFC 4733 events on the media stream by default; SIP INFO
// (application/dtmf-relay or application/dtmf, RFC 6086) when set, or when the peer did not
// negotiate telephone-event. Hook flash is event 16 or INFO signal=hf. Incoming DTMF is reported
// by the call ('dtmf' events: rfc4733, info, inband).
import type { Call } from './call.js';
import type { Clock } from '../util/index.js';

export type DtmfMode = 'rfc4733' | 'info' | 'info-dtmf';

const KEYS = /^[0-9*#A-Da-d]+$/;
/** Gap between INFO requests (each is one digit, RFC 6086 has no timing of its own). */
const INFO_SPACING_MS = 250;

/** Sends digits; returns how they went, or an error text for bad input / no media. */
export function sendDtmf(call: Call, clock: Clock, digits: string, mode: DtmfMode = 'rfc4733', durationMs = 100): 'rfc4733' | 'info' | string {
  if (!KEYS.test(digits)) return `not DTMF digits: "${digits}" (0-9 * # A-D)`;
  if (call.state !== 'active') return 'the call is not active';
  if (mode === 'rfc4733' && call.stream?.sendDtmf(digits.toUpperCase(), durationMs)) return 'rfc4733';
  const type = mode === 'info-dtmf' ? 'dtmf' : 'dtmf-relay';
  [...digits.toUpperCase()].forEach((d, i) => {
    const send = (): void => {
      if (call.state === 'active') call.session.sendDtmfInfo(d, { durationMs, type });
    };
    if (i === 0) send();
    else clock.setTimer(i * INFO_SPACING_MS, send);
  });
  return 'info';
}

/** Hook flash: RFC 4733 event 16, else INFO with signal=hf. */
export function sendFlash(call: Call, mode: DtmfMode = 'rfc4733'): 'rfc4733' | 'info' | string {
  if (call.state !== 'active') return 'the call is not active';
  if (mode === 'rfc4733' && call.stream?.sendDtmf('!')) return 'rfc4733';
  call.session.sendDtmfInfo('hf', { type: mode === 'info-dtmf' ? 'dtmf' : 'dtmf-relay' });
  return 'info';
}
