// RFC 4028 session timers: the headers we send, the negotiation as UAS of a refresh
// transaction, the interval from a 2xx, and the refresh / expiry timers.
import type { Clock, TimerHandle } from '../../util/index.js';
import { HeaderId, type HeaderLines, type SipMessage } from '../message/index.js';
import type { SessionTimerConfig } from './session-types.js';

export const defaultSessionTimer: Readonly<SessionTimerConfig> = Object.freeze({ expires: 1800, minSE: 90 });

/** What the UAS of a session-refresh transaction answers (RFC 4028 §9). */
export type TimerVerdict =
  | { kind: 'reject'; status: 422; headers: HeaderLines }
  | { kind: 'accept'; headers: HeaderLines };

export interface SessionTimerHooks {
  /** Send a refresh (re-INVITE or UPDATE). */
  refresh(): void;
  /** The interval ran out without a refresh: BYE. */
  expire(): void;
  /** A new interval is in force. */
  changed(intervalS: number, weRefresh: boolean): void;
}

export class SessionTimer {
  /** Negotiated interval (seconds); undefined when the session has no timer. */
  intervalS: number | undefined;
  weRefresh = false;
  /** Min-SE we must respect: ours, raised by a 422 (RFC 4028 §7.4) or the peer's Min-SE. */
  private minSE: number;
  private timer: TimerHandle | undefined;

  constructor(private readonly config: SessionTimerConfig | undefined, private readonly clock: Clock, private readonly hooks: SessionTimerHooks) {
    this.minSE = Math.max(90, config?.minSE ?? 90);
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  /**
   * §7.1 / §7.4: headers of a request we send: Session-Expires (the current interval, or our
   * wish) and Min-SE; on a refresh we keep the refresher role (`uac` when we refresh).
   */
  requestHeaders(refresh: boolean): HeaderLines {
    if (this.config === undefined) return [];
    const se = Math.max(this.intervalS ?? this.config.expires, this.minSE);
    const refresher = refresh && this.intervalS !== undefined ? `;refresher=${this.weRefresh ? 'uac' : 'uas'}` : '';
    return [['Session-Expires', `${se}${refresher}`], ['Min-SE', String(this.minSE)]];
  }

  /** §7.4 422: raise our Session-Expires to the peer's Min-SE; false when it did not say one. */
  on422(response: SipMessage): boolean {
    const min = response.get(HeaderId.MinSE)?.seconds;
    if (min === undefined || this.config === undefined || min <= this.minSE) return false;
    this.minSE = min;
    return true;
  }

  /** §7.2 / §7.4: the 2xx to our INVITE/UPDATE decides the interval and who refreshes. */
  onResponse(response: SipMessage): void {
    if (this.config === undefined) return;
    const se = response.get(HeaderId.SessionExpires);
    if (se === undefined) {
      // §7.4: no Session-Expires in the 2xx, no session expiration.
      this.stop();
      this.intervalS = undefined;
      return;
    }
    // We are the UAC of this transaction: refresher=uac means us.
    this.apply(se.seconds, (se.refresher ?? 'uac').toLowerCase() === 'uac');
  }

  /**
   * §9: as UAS of an INVITE/UPDATE: 422 when its Session-Expires is below our Min-SE, else the
   * Session-Expires (with refresher) for the 2xx. Call `commit` when the 2xx goes out.
   */
  onRequest(request: SipMessage): TimerVerdict & { commit?: () => void } {
    if (this.config === undefined) return { kind: 'accept', headers: [] };
    const se = request.get(HeaderId.SessionExpires);
    const peerSupports = (request.get(HeaderId.Supported) ?? []).some((t) => t.toLowerCase() === 'timer');
    if (se !== undefined && se.seconds < this.minSE) {
      return { kind: 'reject', status: 422, headers: [['Min-SE', String(this.minSE)]] };
    }
    const peerMin = request.get(HeaderId.MinSE)?.seconds ?? 90;
    // §9: without Session-Expires we may add one (we then refresh); the interval is never below Min-SE.
    const seconds = se !== undefined ? se.seconds : Math.max(this.config.expires, peerMin);
    let refresher = se?.refresher?.toLowerCase();
    if (refresher !== 'uac' && refresher !== 'uas') refresher = se !== undefined && peerSupports ? 'uac' : 'uas';
    const headers: Array<readonly [string, string]> = [['Session-Expires', `${seconds};refresher=${refresher}`]];
    // §9: Require: timer when the UAC is to refresh.
    if (refresher === 'uac') headers.push(['Require', 'timer']);
    const weRefresh = refresher === 'uas';
    return { kind: 'accept', headers, commit: () => this.apply(seconds, weRefresh) };
  }

  private apply(seconds: number, weRefresh: boolean): void {
    this.stop();
    this.intervalS = seconds;
    this.weRefresh = weRefresh;
    // §10: the refresher sends a refresh at half the interval; the other side, with no
    // refresh, sends BYE shortly before it ends (interval minus min(32 s, interval/3)).
    const ms = weRefresh ? (seconds * 1000) / 2 : (seconds - Math.min(32, seconds / 3)) * 1000;
    this.timer = this.clock.setTimer(ms, () => {
      this.timer = undefined;
      if (weRefresh) this.hooks.refresh();
      else this.hooks.expire();
    });
    this.hooks.changed(seconds, weRefresh);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
