// The target set of one outgoing call (RFC 3261 §8.1.3.4, §16.6 as a UAC does it): every
// Contact of every 3xx, tried one after another in q order, each URI at most once (loop
// detection); the Phone bounds the attempts (maxRedirects).
import { formatUri, parseUri, urisEqual, type Uri } from '../sip/index.js';
import type { SessionEvent } from './sip-api.js';
import type { Call } from './call.js';

export class RedirectTargets {
  private readonly tried: Uri[] = [];
  private readonly queue: Uri[] = [];

  constructor(first: string) {
    const u = parseUri(first);
    if (u.ok) this.tried.push(u.value);
  }

  /**
   * Adds a 3xx's Contacts (already in q order). They go before targets of earlier 3xx: the last
   * redirecting server knows the user's whereabouts best. URIs tried or queued already are skipped.
   */
  add(targets: readonly string[]): void {
    const fresh: Uri[] = [];
    for (const t of targets) {
      const u = parseUri(t);
      if (!u.ok || u.value.scheme === 'tel') continue;
      const known = (x: Uri): boolean => urisEqual(x, u.value);
      if (this.tried.some(known) || this.queue.some(known) || fresh.some(known)) continue;
      fresh.push(u.value);
    }
    this.queue.unshift(...fresh);
  }

  /** The next URI to try (marked tried), or undefined when the set is exhausted. */
  next(): string | undefined {
    const u = this.queue.shift();
    if (u === undefined) return undefined;
    this.tried.push(u);
    return formatUri(u);
  }

  get pending(): number {
    return this.queue.length;
  }
}

/**
 * RFC 3261 §8.1.3.4 / §16.6: when an outgoing attempt ends unanswered, every Contact of a 3xx
 * joins the call's target set (kept in `sets`); the next target is tried, also after a target
 * failed (not after a 6xx, a CANCEL or the no-answer limit), each URI once, at most `max`
 * attempts. Gives the target, a reason to give up, or undefined (the call ends as the attempt did).
 */
export function nextRedirect(
  sets: WeakMap<Call, RedirectTargets>, call: Call, end: Extract<SessionEvent, { type: 'ended' }>, max: number,
): { target: string } | { reason: 'redirected' | 'redirect-loop'; text: string } | undefined {
  if (call.direction !== 'outgoing') return undefined;
  let set = sets.get(call);
  if (end.reason === 'redirected') {
    if (end.targets.length === 0 && set === undefined) return { reason: 'redirected', text: 'redirected without a target' };
    if (set === undefined) sets.set(call, (set = new RedirectTargets(call.remoteUri)));
    set.add(end.targets);
    if (call.redirects >= max) return { reason: 'redirect-loop', text: `more than ${max} redirects` };
  } else if (set === undefined || end.reason === 'cancelled' || end.reason === 'no-answer' || (end.status ?? 0) >= 600 || call.redirects >= max) {
    return undefined;
  }
  const target = set.next();
  if (target !== undefined) return { target };
  return end.reason === 'redirected' ? { reason: 'redirect-loop', text: 'redirect loop: every target was tried' } : undefined;
}
