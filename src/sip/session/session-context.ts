// What an InviteSession needs from its SessionAgent (kept as an interface so the session
// does not import the agent).
import type { Clock, TimerHandle } from '../../util/index.js';
import type { TransportKind } from '../../net/index.js';
import type { Dialog } from '../dialog/index.js';
import type { Uri } from '../message/index.js';
import { applyRouteSet, nextHopUri } from '../transport/index.js';
import type { SipStack } from '../ua/index.js';
import type { RequestSender } from './request-sender.js';
import type { PrackMode, SessionTimerConfig } from './session-types.js';

export interface SessionContext {
  readonly stack: SipStack;
  readonly sender: RequestSender;
  /** Our From value without tag, e.g. `"Alice" <sip:alice@example.com>`. */
  readonly identity: string;
  readonly prack: PrackMode;
  readonly sessionTimer: SessionTimerConfig | undefined;
  /** Route for out-of-dialog requests (outbound proxy, §8.1.2), header value. */
  readonly outboundRoute: { value: string; uri: Uri } | undefined;
  /** Allow and Supported we advertise. */
  readonly allow: string;
  readonly supported: string;
  /** [0, 1) for the 491 back-off (§14.1). */
  random(): number;
  /** Our Contact header value for a transport. */
  contact(kind: TransportKind): string;
  /** Puts a dialog in the stack's table and routes its requests to `owner`. */
  bind(dialog: Dialog, owner: object): void;
  unbind(dialog: Dialog): void;
  ended(owner: object): void;
}

/** §12.2.1.1 / §8.1.2: the URI to locate for a request in `dialog`. */
export function dialogNextHop(dialog: Dialog): Uri {
  return nextHopUri(applyRouteSet(dialog.remoteTarget, dialog.routeSet).requestUri, dialog.routeSet);
}

/** Named one-shot timers on the injected clock, all cleared when the session ends. */
export class SessionTimers {
  private readonly handles = new Map<string, TimerHandle>();
  constructor(private readonly clock: Clock) {}
  set(name: string, delayMs: number, fire: () => void): void {
    this.clear(name);
    this.handles.set(name, this.clock.setTimer(delayMs, () => {
      this.handles.delete(name);
      fire();
    }));
  }
  clear(name: string): void {
    const h = this.handles.get(name);
    if (h !== undefined) this.clock.clearTimer(h);
    this.handles.delete(name);
  }
  has(name: string): boolean {
    return this.handles.has(name);
  }
  clearAll(): void {
    for (const h of this.handles.values()) this.clock.clearTimer(h);
    this.handles.clear();
  }
}

/**
 * Sends at once, then again at `first`, doubling (capped at `cap` when given), until stopped;
 * `giveUp` runs after `limit` ms (RFC 3261 §13.3.1.4 2xx, RFC 3262 §3 reliable 1xx).
 */
export function retransmit(timers: SessionTimers, name: string, o: { first: number; cap?: number; limit: number }, send: () => void, giveUp: () => void): void {
  let interval = o.first;
  send();
  const again = (): void => {
    send();
    interval = o.cap === undefined ? interval * 2 : Math.min(interval * 2, o.cap);
    timers.set(`${name}:again`, interval, again);
  };
  timers.set(`${name}:again`, interval, again);
  timers.set(`${name}:limit`, o.limit, () => {
    timers.clear(`${name}:again`);
    giveUp();
  });
}

export function stopRetransmit(timers: SessionTimers, name: string): void {
  timers.clear(`${name}:again`);
  timers.clear(`${name}:limit`);
}
