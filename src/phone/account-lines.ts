// A Phone's lines: one SessionAgent per account on the shared stack (its identity, credentials,
// outbound proxy and contact user), plus the direct line for calls with no account. Every new
// INVITE is attributed to one line before any agent sees it; each agent takes only its own.
import type { IncomingRequest, SipMessage, SipStack } from '../sip/index.js';
import { DigestClient, SessionAgent, type IncomingCall, type SessionAgentOptions } from './sip-api.js';
import { Account, type AccountSettings, type IncomingDecision } from './account.js';

export interface PhoneLine {
  /** undefined: the direct line (From sip:handset@<our address>, no registration). */
  readonly account: Account | undefined;
  readonly agent: SessionAgent;
}

/** What every line's agent shares (the Phone's options). */
export type LineAgentBase = Pick<SessionAgentOptions, 'stack' | 'prack' | 'sessionTimer' | 'locate' | 'random'> & {
  /** From of the direct line. */
  identity: string;
};

export class AccountLines {
  readonly direct: PhoneLine;
  private readonly lines: PhoneLine[] = [];
  private readonly owner = new WeakMap<SipMessage, PhoneLine>();

  constructor(private readonly base: LineAgentBase, private readonly incoming: (line: PhoneLine, call: IncomingCall) => void) {
    this.direct = this.open(undefined, { identity: base.identity, contactUser: 'handset' });
  }

  get accounts(): Account[] {
    return this.lines.map((l) => l.account!);
  }

  /** Where calls go and come from when no account is named: the first account, else the direct line. */
  get default(): PhoneLine {
    return this.lines[0] ?? this.direct;
  }

  /** Every line, the direct one first. */
  get all(): PhoneLine[] {
    return [this.direct, ...this.lines];
  }

  /** The line of an account, by the Account itself, its id or its AOR. */
  find(account: Account | string): PhoneLine | undefined {
    return this.lines.find((l) => l.account === account || l.account!.id === account || l.account!.settings.aor === account);
  }

  /** Adds an account with its own agent; throws when the AOR or proxy is not a SIP URI, or the id is taken. */
  add(settings: AccountSettings): PhoneLine {
    const account = new Account(settings);
    if (this.find(account.id) !== undefined) throw new Error(`account "${account.id}" exists already`);
    const o: Partial<SessionAgentOptions> = { identity: account.identity };
    if (account.user !== undefined) o.contactUser = account.user;
    if (settings.password !== undefined) {
      o.digest = new DigestClient({ credentials: { username: settings.username ?? account.user ?? '', password: settings.password }, realms: [account.aor.host] });
    }
    if (account.outboundProxy !== undefined) o.outboundProxy = account.outboundProxy;
    const line = this.open(account, o);
    this.lines.push(line);
    return line;
  }

  /** Takes the line out (new INVITEs no longer reach it); its agent is closed by the caller once its calls ended. */
  remove(line: PhoneLine): void {
    const i = this.lines.indexOf(line);
    if (i >= 0) this.lines.splice(i, 1);
  }

  /**
   * The line a new INVITE belongs to (remembered for the agents' `accepts`): the account it is
   * best addressed to (Account.matchScore; ties go to the earlier account), else the default one.
   */
  attribute(request: SipMessage, source: string, forced?: PhoneLine): PhoneLine {
    let best: PhoneLine = forced ?? this.default;
    if (forced === undefined) {
      let top = 0;
      for (const l of this.lines) {
        const score = l.account!.matchScore(request, source);
        if (score > top) {
          top = score;
          best = l;
        }
      }
    }
    this.owner.set(request, best);
    return best;
  }

  private open(account: Account | undefined, o: Partial<SessionAgentOptions>): PhoneLine {
    const b = this.base;
    const options: SessionAgentOptions = { stack: b.stack, identity: b.identity, ...o, accepts: (req) => this.owner.get(req) === line };
    if (b.prack !== undefined) options.prack = b.prack;
    if (b.sessionTimer !== undefined) options.sessionTimer = b.sessionTimer;
    if (b.locate !== undefined) options.locate = b.locate;
    if (b.random !== undefined) options.random = b.random;
    const line: PhoneLine = { account, agent: new SessionAgent(options) };
    line.agent.onIncoming((c) => this.incoming(line, c));
    return line;
  }
}

/**
 * Answers a new INVITE that its account's policy (or, with no account, a full phone) refuses:
 * 403 / 486 / 603, or 302 to the forwarding target (RFC 3261 §21.3.3). Gives the status and why,
 * or undefined when the call may ring.
 */
export function refuseByPolicy(
  stack: SipStack, incoming: IncomingRequest, decision: IncomingDecision | undefined, busy: boolean, resolve: (target: string) => string,
): { status: number; reason: string } | undefined {
  if (decision === undefined) {
    if (!busy) return undefined;
    stack.respond(incoming, 486);
    return { status: 486, reason: 'no free line' };
  }
  switch (decision.kind) {
    case 'ring':
      return undefined;
    case 'refuse':
    case 'reject':
      stack.respond(incoming, decision.status);
      return { status: decision.status, reason: decision.reason };
    case 'forward':
      stack.respond(incoming, 302, 'Moved Temporarily', [['Contact', `<${resolve(decision.target)}>`]]);
      return { status: 302, reason: decision.reason };
  }
}
