// Hold and resume (RFC 6337 §5, via sdp's holdDirection): a re-INVITE whose offer says
// sendonly (or inactive when the peer holds us too); resume offers sendrecv (recvonly if held).
// Being held needs nothing here: CallMedia reads the peer's direction from each offer/answer.
import type { Call } from './call.js';

/** Puts the call on hold or takes it off; false when not possible now (not active, offer pending). */
export function setHold(call: Call, hold: boolean, method: 'INVITE' | 'UPDATE' = 'INVITE'): boolean {
  const media = call.media;
  if (call.state !== 'active' || media === undefined || media.offerPending) return false;
  if (media.localHold === hold) return true;
  const body = media.holdOffer(hold);
  // re-INVITE is what every peer understands; UPDATE (RFC 3311) when asked and the peer allows it.
  const sent = method === 'UPDATE' && call.session.peerAllow.includes('UPDATE') ? call.session.update({ body }) : call.session.reinvite({ body });
  if (!sent) {
    media.offerRefused();
    return false;
  }
  return true;
}
