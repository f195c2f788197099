// An account: address of record, credentials, registration (sip/ua Registration) and the
// settings that decide what happens to an incoming call: scanner defense, DND, forwarding,
// auto-answer (configured, or asked for by trusted Call-Info / Alert-Info headers).
import { bareHost, HeaderId, isSipUri, parseUri, Registration, type RegistrationEvent, type SipMessage, type SipStack, type SipUri } from '../sip/index.js';
import type { TransportKind } from '../net/index.js';

export interface AccountSettings {
  /** Address of record, e.g. sip:alice@example.com. */
  aor: string;
  /** The name a Phone knows the account by (default: the AOR as given); unique per Phone. */
  id?: string;
  /** Display name in our From (`"Alice" <sip:alice@example.com>`). */
  displayName?: string;
  password?: string;
  username?: string;
  /** Registrar and outbound proxy (`;transport=` honoured), e.g. sip:127.0.0.1:5060;transport=tcp. */
  proxy?: string;
  /** Register at start (default: when a password is set). */
  register?: boolean;
  expires?: number;
  /** Do not disturb: refuse every call with 486 or 603. */
  dnd?: false | 486 | 603;
  /** Answer by itself after this many ms (0 = at once); undefined = ring until answered. */
  autoAnswerMs?: number;
  /**
   * Hosts allowed to ask for auto-answer with Call-Info `answer-after` or Alert-Info
   * (`info=alert-autoanswer`, `Auto Answer`). Default: none (the headers are ignored).
   */
  trustedAutoAnswerSources?: string[];
  forward?: { always?: string; busy?: string; noAnswer?: { target: string; afterMs: number } };
  /**
   * Scanner defense off: take INVITEs at our contact from anyone. Default false: only from the
   * registrar / outbound proxy (others get 403, with no ring and no history row).
   */
  directCalls?: boolean;
  /** Answer incoming calls with 183 and a ringback tone as early media instead of a plain 180. */
  earlyMediaRingback?: boolean;
}

/** What to do with an incoming INVITE. */
export type IncomingDecision =
  | { kind: 'refuse'; status: number; reason: string; quiet: true }
  | { kind: 'reject'; status: number; reason: string }
  | { kind: 'forward'; target: string; reason: string }
  | { kind: 'ring'; autoAnswerMs: number | undefined; forwardNoAnswer: { target: string; afterMs: number } | undefined };

export class Account {
  readonly aor: SipUri;
  registration: Registration | undefined;
  /** Addresses our registrar / proxy sent from (what the scanner defense lets in). */
  private readonly trustedAddresses = new Set<string>();

  constructor(readonly settings: AccountSettings) {
    const r = parseUri(settings.aor);
    if (!r.ok || (r.value.scheme !== 'sip' && r.value.scheme !== 'sips')) throw new Error(`account: "${settings.aor}" is not a sip: URI`);
    this.aor = r.value as SipUri;
    const proxy = settings.proxy === undefined ? undefined : parseUri(settings.proxy);
    if (proxy !== undefined && (!proxy.ok || proxy.value.scheme === 'tel')) throw new Error(`account: proxy "${settings.proxy}" is not a sip: URI`);
    const host = proxy?.ok ? (proxy.value as SipUri).host : this.aor.host;
    this.trustedAddresses.add(bare(host));
  }

  get user(): string | undefined {
    return this.aor.user;
  }

  get id(): string {
    return this.settings.id ?? this.settings.aor;
  }

  /** Our From value without tag (RFC 3261 §8.1.1.3). */
  get identity(): string {
    const a = this.aor;
    const uri = `<${a.scheme}:${a.user ? `${a.user}@` : ''}${a.host}>`;
    const name = this.settings.displayName;
    return name ? `"${name.replace(/["\\\r\n]/g, '')}" ${uri}` : uri;
  }

  /** Whether `source` is our registrar / outbound proxy (the scanner defense's trusted set). */
  trusts(source: string): boolean {
    return this.trustedAddresses.has(bare(source));
  }

  /**
   * How surely a new INVITE is addressed to this account (0: no sign), for a Phone with several
   * accounts: the Request-URI is our AOR (+4) or our registered contact (its user, +2); To is our
   * AOR (+1); it came from our registrar / proxy (+1, tells apart accounts sharing a user name).
   */
  matchScore(request: SipMessage, source: string): number {
    let score = 0;
    const r = request.requestUri;
    if (r !== undefined && isSipUri(r) && r.user !== undefined && r.user === this.aor.user) score += bare(r.host) === bare(this.aor.host) ? 4 : 2;
    const to = request.get(HeaderId.To)?.uri;
    if (to !== undefined && isSipUri(to) && to.user === this.aor.user && bare(to.host) === bare(this.aor.host)) score += 1;
    if (this.trusts(source)) score += 1;
    return score;
  }

  /** The proxy URI as a loose Route (RFC 3261 §16.12.1.1). */
  get outboundProxy(): string | undefined {
    const p = this.settings.proxy;
    if (p === undefined) return undefined;
    return /;lr\b/.test(p) ? p : `${p};lr`;
  }

  get transport(): TransportKind | undefined {
    const m = /;transport=([a-z]+)/i.exec(this.settings.proxy ?? '');
    return m ? (m[1]!.toLowerCase() as TransportKind) : undefined;
  }

  /** Starts registering (when configured); events go to `listener`. */
  register(stack: SipStack, listener: (e: RegistrationEvent) => void): void {
    const s = this.settings;
    if (!(s.register ?? s.password !== undefined) || s.password === undefined) return;
    const config: ConstructorParameters<typeof Registration>[0]['account'] = { aor: this.aor, password: s.password };
    if (s.username !== undefined) config.username = s.username;
    if (s.expires !== undefined) config.expires = s.expires;
    if (s.proxy !== undefined) {
      const p = parseUri(s.proxy);
      if (p.ok && p.value.scheme !== 'tel') config.proxy = p.value as SipUri;
    }
    const t = this.transport;
    if (t !== undefined) config.transport = t;
    this.registration = new Registration({ stack, account: config });
    this.registration.onEvent((e) => {
      if (e.type === 'registered') this.trustedAddresses.add(bare(e.target.address));
      listener(e);
    });
    this.registration.start();
  }

  /** The decision for an INVITE from `source` (address) while `busy` (no free line). */
  decide(request: SipMessage, source: string, busy: boolean): IncomingDecision {
    const s = this.settings;
    // Scanner defense: INVITEs straight to our contact from strangers never ring (issue 5).
    if (!s.directCalls && !this.trustedAddresses.has(bare(source))) {
      return { kind: 'refuse', status: 403, reason: `INVITE from ${source}, not our registrar/proxy`, quiet: true };
    }
    if (s.forward?.always) return { kind: 'forward', target: s.forward.always, reason: 'forwarded (always)' };
    if (s.dnd) return { kind: 'reject', status: s.dnd, reason: 'do not disturb' };
    if (busy) {
      if (s.forward?.busy) return { kind: 'forward', target: s.forward.busy, reason: 'forwarded (busy)' };
      return { kind: 'reject', status: 486, reason: 'no free line' };
    }
    return { kind: 'ring', autoAnswerMs: this.autoAnswerMs(request, source), forwardNoAnswer: s.forward?.noAnswer };
  }

  /** Configured auto-answer, or the header-driven one from a trusted source. */
  private autoAnswerMs(request: SipMessage, source: string): number | undefined {
    const trusted = (this.settings.trustedAutoAnswerSources ?? []).map(bare);
    if (trusted.includes(bare(source))) {
      const fromHeaders = headerAutoAnswerMs(request);
      if (fromHeaders !== undefined) return fromHeaders;
    }
    return this.settings.autoAnswerMs;
  }

  async stop(): Promise<void> {
    await this.registration?.stop();
  }
}

const bare = (host: string): string => bareHost(host).toLowerCase();

/**
 * Auto-answer asked for by headers: Call-Info `;answer-after=N` (seconds, draft-ietf-sipping-
 * answer-after style used by phones) or Alert-Info `info=alert-autoanswer` / `Auto Answer`.
 */
export function headerAutoAnswerMs(request: SipMessage): number | undefined {
  for (const v of request.headerAll('Call-Info')) {
    const m = /;\s*answer-after\s*=\s*(\d{1,4})/i.exec(v);
    if (m) return Number(m[1]) * 1000;
  }
  for (const v of request.headerAll('Alert-Info')) {
    if (/info\s*=\s*alert-autoanswer|auto\s*answer/i.test(v)) return 0;
  }
  return undefined;
}
