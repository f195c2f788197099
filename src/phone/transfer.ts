// Transfers (RFC 3515 REFER, RFC 3891 Replaces, RFC 3892 Referred-By): blind (REFER to a
// target), attended (REFER to the consulted party with Replaces naming the consultation
// dialog), and being transferred (the phone's referral policy follows an incoming REFER with a
// new call and reports its progress in NOTIFYs). Our leg ends once the transfer succeeded.
import type { Call } from './call.js';
import type { IncomingRefer } from './sip-api.js';

/** Hangs the transferring leg up when the NOTIFY says the new call was answered. */
function endOnSuccess(call: Call): void {
  const onProgress = (p: { status: number; final: boolean }): void => {
    if (!p.final) return;
    call.off('transfer-progress', onProgress);
    if (p.status >= 200 && p.status < 300 && call.state === 'active') {
      call.endReason = { reason: 'transferred', text: 'transferred' };
      call.hangup();
    }
  };
  call.on('transfer-progress', onProgress);
}

/** Blind transfer: the peer is asked to call `target`. False when the call is not active. */
export function blindTransfer(call: Call, target: string): boolean {
  if (call.state !== 'active') return false;
  endOnSuccess(call);
  call.session.refer(target);
  return true;
}

/**
 * Attended transfer: `call`'s peer is asked to call the party of `consultation`, replacing the
 * consultation dialog (RFC 3891 §5), so the two talk and we drop out of both.
 */
export function attendedTransfer(call: Call, consultation: Call): boolean {
  if (call.state !== 'active' || consultation.state !== 'active') return false;
  endOnSuccess(call);
  const done = (p: { status: number; final: boolean }): void => {
    // From the REFER's 2xx on, the target may replace the consultation dialog and BYE it
    // (RFC 3891 §3) before any final NOTIFY: that end is the transfer's. A failure undoes it.
    if (p.status >= 200 && p.status < 300) consultation.endReason = { reason: 'transferred', text: 'transferred' };
    else if (p.final && p.status >= 300 && consultation.endReason?.reason === 'transferred') consultation.endReason = undefined;
    if (p.final) call.off('transfer-progress', done);
  };
  call.on('transfer-progress', done);
  call.session.refer(consultation.remoteUri, { replaces: consultation.session });
  return true;
}

/** How the phone answers an incoming REFER. */
export type ReferPolicy = 'accept' | 'reject';

/**
 * Being transferred: accept (202 + NOTIFY 100), place the new call through `dial`, relay its
 * outcome as sipfrag NOTIFYs, and hang up the old call once the new one is answered.
 */
export function followRefer(call: Call, refer: IncomingRefer, policy: ReferPolicy, dial: (target: string, replaces: string | undefined, referredBy: string | undefined) => Promise<Call | string>): void {
  if (policy === 'reject' || call.state !== 'active') return refer.reject(603);
  const progress = refer.accept();
  call.emit('transferred', { target: refer.referToUri });
  void dial(refer.referToUri, refer.replaces, refer.referredBy).then((next) => {
    if (typeof next === 'string') return progress.notify(503, next);
    next.on('ringing', (r) => progress.notify(r.status === 183 ? 183 : 180));
    next.once('answered', () => {
      progress.notify(200, 'OK');
      call.endReason = { reason: 'transferred', text: `transferred to ${refer.referToUri}` };
      call.hangup();
    });
    next.once('ended', (end) => {
      if (!end.answered) progress.notify(end.status !== undefined && end.status >= 300 ? end.status : 487, end.text);
    });
  });
}
