import { randomBytes } from 'node:crypto';
import { err, ok, type Result } from '../../util/index.js';
import type { AuthChallenge } from './auth-header.js';
import {
  formatDigestCredentials,
  planDigest,
  planHa1,
  type DigestCredentials,
  type DigestPlan,
  type DigestRefusal,
  type DigestRequest,
} from './digest-authorization.js';

export type AuthHeaderName = 'Authorization' | 'Proxy-Authorization';

/** The challenges of one 401/407 response, as parsed from its headers. */
export interface DigestChallenges {
  /** WWW-Authenticate values (401); answered with Authorization. */
  wwwAuthenticate?: readonly AuthChallenge[];
  /** Proxy-Authenticate values (407); answered with Proxy-Authorization. */
  proxyAuthenticate?: readonly AuthChallenge[];
}

/** A header to add to the retried request. */
export interface DigestHeader {
  name: AuthHeaderName;
  value: string;
  realm: string;
}

/**
 * What a request carried, so a second challenge of the same realm (not stale) reads as a wrong
 * password, and a second stale=true for the same request chain ends it (no endless retries).
 */
export interface DigestAttempt {
  readonly realms: readonly string[];
  /** Realms already re-answered once because of stale=true. */
  readonly staleRealms: readonly string[];
}

export interface DigestAnswer {
  headers: DigestHeader[];
  attempt: DigestAttempt;
}

export interface DigestClientOptions {
  credentials: DigestCredentials;
  /** Realms these credentials may be sent to, besides `credentials.realm`. At least one realm in total. */
  realms?: readonly string[];
  /** Random bytes for cnonce (tests inject a fixed source). */
  random?: (size: number) => Buffer;
  /** Use qop=auth-int when the server offers both auth and auth-int. */
  preferAuthInt?: boolean;
}

interface NonceState {
  name: AuthHeaderName;
  plan: DigestPlan;
  nc: number;
  /** -sess keeps the cnonce its HA1 was made with. */
  cnonce: string;
  ha1: string;
}

/**
 * Digest client for one account (RFC 3261 §22, RFC 7616, RFC 8760). Keeps nonce state per realm:
 * nc counts requests per nonce and restarts at 1 with a new nonce. The password lives in a private
 * field: `JSON.stringify`, `util.inspect` and `toString` never show it.
 */
export class DigestClient {
  readonly #username: string;
  readonly #password: string;
  readonly #realms: ReadonlySet<string>;
  readonly #random: (size: number) => Buffer;
  readonly #preferAuthInt: boolean;
  readonly #nonces = new Map<string, NonceState>();

  constructor(options: DigestClientOptions) {
    const realms = new Set(options.realms ?? []);
    if (options.credentials.realm !== undefined) realms.add(options.credentials.realm);
    if (realms.size === 0) throw new Error('DigestClient needs at least one configured realm');
    this.#username = options.credentials.username;
    this.#password = options.credentials.password;
    this.#realms = realms;
    this.#random = options.random ?? randomBytes;
    this.#preferAuthInt = options.preferAuthInt ?? false;
  }

  get username(): string {
    return this.#username;
  }
  get realms(): readonly string[] {
    return [...this.#realms];
  }

  /**
   * Answers a 401/407. Per realm the strongest supported challenge is used: the local policy
   * RFC 7616 §3.7 and RFC 8760 §2.4 allow instead of the server's order. Every configured realm challenged is answered (RFC 3261 §22.3). A realm
   * this request already answered is answered again only when the challenge says stale=true
   * (RFC 7616 §3.3); otherwise the credentials were rejected.
   */
  answer(challenges: DigestChallenges, request: DigestRequest, previous?: DigestAttempt): Result<DigestAnswer, DigestRefusal> {
    const best = new Map<string, { name: AuthHeaderName; plan: DigestPlan }>();
    let firstRefusal: DigestRefusal | undefined;
    const consider = (list: readonly AuthChallenge[] | undefined, name: AuthHeaderName): void => {
      for (const c of list ?? []) {
        const planned = planDigest(c, this.#preferAuthInt);
        if (!planned.ok) {
          firstRefusal ??= planned.error;
          continue;
        }
        const key = `${name} ${planned.value.realm}`;
        const held = best.get(key);
        if (!held || planned.value.strength > held.plan.strength) best.set(key, { name, plan: planned.value });
      }
    };
    consider(challenges.wwwAuthenticate, 'Authorization');
    consider(challenges.proxyAuthenticate, 'Proxy-Authorization');

    const headers: DigestHeader[] = [];
    const staleRealms = [...(previous?.staleRealms ?? [])];
    let unconfigured: DigestRefusal | undefined;
    for (const { name, plan } of best.values()) {
      // Credentials go only to realms configured for the account (issue: never answer a stranger).
      if (!this.#realms.has(plan.realm)) {
        unconfigured ??= { refused: 'realm-not-configured', realm: plan.realm };
        continue;
      }
      if (previous?.realms.includes(plan.realm)) {
        if (!plan.stale || previous.staleRealms.includes(plan.realm)) return err({ refused: 'credentials-rejected', realm: plan.realm });
        staleRealms.push(plan.realm);
      }
      headers.push(this.#use(this.#adopt(name, plan), request));
    }
    if (headers.length === 0) return err(unconfigured ?? firstRefusal ?? { refused: 'no-challenge' });
    return ok({ headers, attempt: { realms: headers.map((h) => h.realm), staleRealms } });
  }

  /** Pre-emptive credentials for a new request to `realm` with its cached nonce (nc + 1), if any. */
  authorize(request: DigestRequest, realm: string): DigestHeader | undefined {
    for (const state of this.#nonces.values()) if (state.plan.realm === realm) return this.#use(state, request);
    return undefined;
  }

  /** Drops cached nonces (all, or one realm's). */
  forget(realm?: string): void {
    for (const [k, s] of this.#nonces) if (realm === undefined || s.plan.realm === realm) this.#nonces.delete(k);
  }

  toJSON(): { username: string; realms: string[] } {
    return { username: this.#username, realms: [...this.#realms] };
  }
  toString(): string {
    return `DigestClient(${this.#username})`;
  }

  #adopt(name: AuthHeaderName, plan: DigestPlan): NonceState {
    const key = `${name} ${plan.realm}`;
    const held = this.#nonces.get(key);
    // Same nonce and algorithm again: keep counting; a new nonce restarts nc at 1 (RFC 7616 §3.4).
    if (held && held.plan.nonce === plan.nonce && held.plan.algorithm === plan.algorithm) {
      held.plan = plan;
      return held;
    }
    const cnonce = plan.sess ? this.#cnonce() : '';
    const state: NonceState = { name, plan, nc: 0, cnonce, ha1: planHa1(plan, { username: this.#username, password: this.#password }, cnonce) };
    this.#nonces.set(key, state);
    return state;
  }

  #use(state: NonceState, request: DigestRequest): DigestHeader {
    state.nc++;
    const cnonce = state.plan.sess ? state.cnonce : this.#cnonce();
    const value = formatDigestCredentials(state.plan, state.ha1, this.#username, request, { cnonce, nc: state.nc });
    return { name: state.name, value, realm: state.plan.realm };
  }

  #cnonce(): string {
    return this.#random(16).toString('hex');
  }
}
