// Call waiting: a second call rings while we talk (the phone plays the waiting tone over the
// active call); `swapTo` puts the active call on hold and takes the chosen one (answering it when
// it still rings, resuming it when held).
import type { Phone } from './phone.js';
import type { Call } from './call.js';
import { setHold } from './hold.js';

/** Makes `call` the one we talk on; every other active call is held. False when not possible. */
export function swapTo(phone: Phone, call: Call): boolean {
  if (call.state === 'ended') return false;
  for (const other of phone.activeCalls) {
    if (other !== call && other.state === 'active' && !other.held.local) setHold(other, true);
  }
  if (call.state === 'ringing' && call.direction === 'incoming') return call.answer();
  if (call.state === 'active' && call.held.local) return setHold(call, false);
  return call.state === 'active';
}
