// REFER in a dialog (RFC 3515): sending one (Refer-To, Referred-By RFC 3892, Replaces embedded
// for attended transfer RFC 3891 §5) and reading the implicit subscription's NOTIFYs; receiving
// one (the phone decides), 202 and NOTIFYs with sipfrag of the new call's progress.
import { HeaderId, formatUri, isSipUri, parseUri, reasonPhrase, type HeaderLines, type NameAddr } from '../message/index.js';
import type { IncomingRequest } from '../ua/index.js';
import type { SessionContext } from './session-context.js';
import type { IncomingRefer, ReferProgress } from './session-types.js';
import { SIPFRAG, formatSipfrag, parseSipfrag } from './sipfrag.js';
import { bodyOf, type InviteSession } from './invite-session.js';

/** Refer-To value for `target`, with `replaces` as a URI header when given (RFC 3891 §5). */
export function referToValue(target: string, replaces?: string): string {
  if (replaces === undefined) return `<${target}>`;
  const uri = parseUri(target);
  if (!uri.ok || !isSipUri(uri.value)) throw new Error(`Refer-To with Replaces needs a SIP URI, not ${target}`);
  return `<${formatUri({ ...uri.value, headers: [...uri.value.headers, { name: 'Replaces', value: replaces }] })}>`;
}

/** The Replaces header embedded in a Refer-To URI, decoded; undefined when none. */
export function replacesInReferTo(referTo: NameAddr): string | undefined {
  const uri = referTo.uri;
  if (!isSipUri(uri)) return undefined;
  return uri.headers.find((h) => h.name.toLowerCase() === 'replaces')?.value;
}

/** The Refer-To URI without its header part (where the new INVITE goes). */
export function referTarget(referTo: NameAddr): string {
  const uri = referTo.uri;
  return isSipUri(uri) ? formatUri({ ...uri, headers: [] }) : referTo.uriText;
}

/** How long the phone may take to accept or reject a REFER. */
export const REFER_DECISION_MS = 16_000;

export class Referral {
  /** Our REFERs whose subscriptions are still active (by CSeq). */
  private outstanding = 0;

  constructor(private readonly s: InviteSession, private readonly ctx: SessionContext) {}

  send(target: string, replaces: InviteSession | undefined, extra: HeaderLines): void {
    const dialog = this.s.dialog;
    if (dialog === undefined || this.s.state !== 'confirmed') throw new Error('refer() needs a confirmed dialog');
    const referredBy = this.ctx.identity;
    const headers: HeaderLines = [
      ['Refer-To', referToValue(target, replaces?.replacesValue())],
      ['Referred-By', referredBy],
      ...extra,
    ];
    this.outstanding++;
    this.s.sendInDialog(dialog, 'REFER', headers, undefined, (res) => {
      if (res === undefined) {
        this.outstanding--;
        return this.s.emit({ type: 'refer-response', status: 408, reason: 'no response' });
      }
      if (res.status >= 300) this.outstanding--;
      this.s.emit({ type: 'refer-response', status: res.status, reason: res.reason });
    });
  }

  /** RFC 3515 §2.4.4: NOTIFY of the implicit subscription; the sipfrag says how the new call goes. */
  receiveNotify(incoming: IncomingRequest): void {
    const req = incoming.request;
    const event = req.get(HeaderId.Event);
    if (event === undefined || event.type !== 'refer') return this.s.respond(incoming, 489);
    this.s.respond(incoming, 200);
    const body = bodyOf(req);
    const sipfrag = body !== undefined && body.contentType.toLowerCase() === SIPFRAG ? parseSipfrag(body.body) : undefined;
    const final = req.get(HeaderId.SubscriptionState)?.state === 'terminated';
    if (final && this.outstanding > 0) this.outstanding--;
    this.s.emit({ type: 'notify', sipfrag, final });
  }

  /** RFC 3515 §2.4.2: a REFER in our dialog; the phone's policy accepts or rejects it. */
  receiveRefer(incoming: IncomingRequest): void {
    const req = incoming.request;
    const referTo = req.get(HeaderId.ReferTo);
    // §2.4.1: exactly one Refer-To.
    if (referTo === undefined || req.headerAll(HeaderId.ReferTo).length !== 1) return this.s.respond(incoming, 400, 'Missing or Multiple Refer-To');
    let answered = false;
    const timer = `refer:${req.cseq}`;
    const refer: IncomingRefer = {
      referTo: req.header(HeaderId.ReferTo)!,
      referToUri: referTarget(referTo),
      referredBy: req.header(HeaderId.ReferredBy),
      replaces: replacesInReferTo(referTo),
      accept: () => {
        if (answered) throw new Error('REFER already answered');
        answered = true;
        this.s.timers.clear(timer);
        this.s.respond(incoming, 202);
        const progress = this.notifier(req.cseq);
        progress.notify(100, 'Trying');
        return progress;
      },
      reject: (status = 603) => {
        if (answered) return;
        answered = true;
        this.s.timers.clear(timer);
        this.s.respond(incoming, status);
      },
    };
    this.s.emit({ type: 'refer', refer });
    // Nobody took it: refuse (a transfer needs the user's or the phone's consent). An answer that
    // does not come within REFER_DECISION_MS is a refusal too (before the peer's Timer F).
    if (!answered && !this.s.hasListeners()) refer.reject(603);
    else if (!answered) this.s.timers.set(timer, REFER_DECISION_MS, () => refer.reject(603));
  }

  private notifier(referCseq: number): ReferProgress {
    let done = false;
    const first = this.referCount++ === 0;
    const progress: ReferProgress = {
      follow: (call) => {
        const off = call.on((e) => {
          if (e.type === 'progress' && e.status > 100) progress.notify(e.status, e.reason);
          else if (e.type === 'answered') progress.notify(200, 'OK');
          else if (e.type === 'ended') progress.notify(e.status !== undefined && e.status >= 300 ? e.status : 487, e.status !== undefined && e.status >= 300 ? e.text : 'Request Terminated');
          if (done) off();
        });
      },
      notify: (status, reason = reasonPhrase(status)) => {
        const dialog = this.s.dialog;
        if (done || dialog === undefined || this.s.state === 'terminated') return;
        const final = status >= 200;
        done = final;
        // §2.4.6: a second REFER's subscription is told apart by id = its CSeq.
        const event = first ? 'refer' : `refer;id=${referCseq}`;
        const headers: HeaderLines = [
          ['Event', event],
          ['Subscription-State', final ? 'terminated;reason=noresource' : 'active;expires=60'],
        ];
        this.s.sendInDialog(dialog, 'NOTIFY', headers, { contentType: SIPFRAG, body: Buffer.from(formatSipfrag(status, reason)) }, () => undefined);
      },
    };
    return progress;
  }

  private referCount = 0;
}
