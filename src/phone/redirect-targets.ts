// The target set of one outgoing call (RFC 3261 §8.1.3.4, §16.6 as a UAC does it): every
// Contact of every 3xx, tried one after another in q order, each URI at most once (loop
// detection); the Phone bounds the attempts (maxRedirects).
import { formatUri, parseUri, urisEqual, type Uri } from '../sip/index.js';

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
