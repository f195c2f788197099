// A call: one InviteSession (replaced when a 3xx is followed) joined to its CallMedia and audio
// pump. Features (hold, DTMF, transfer, recording, conference) live in their own files and act
// through the members marked "for the feature files".
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../util/index.js';
import type { InviteSession, SessionEvent, IncomingRefer, SessionBody } from './sip-api.js';
import type { CallMedia } from './call-media.js';
import { AudioPump } from './audio-pump.js';
import { PcmTap, type CallAudioSink, type CallAudioSource } from './call-audio.js';
import type { CallDirection, CallEnd, CallEndReason, CallEvents, CallState } from './call-types.js';

export interface CallContext {
  clock: Clock;
  /** End the call when no RTP arrived this long while active and not held (0 = never). */
  rtpTimeoutMs: number;
  /**
   * An outgoing attempt ended before an answer (a 3xx, or a failure of a redirect target):
   * the next session to try, a reason to give up, or undefined to end as the attempt did.
   */
  redirect(call: Call, end: Extract<SessionEvent, { type: 'ended' }>): InviteSession | { reason: CallEndReason; text: string } | undefined;
  /** A REFER arrived in this call (policy: accept and follow, or reject). */
  referred(call: Call, refer: IncomingRefer): void;
}

let nextCallId = 1;

export class Call extends EventEmitter<CallEvents> {
  readonly id = `call-${nextCallId++}`;
  state: CallState;
  session: InviteSession;
  media: CallMedia | undefined;
  readonly pump: AudioPump;
  readonly startedAt: number;
  answeredAt: number | undefined;
  end: CallEnd | undefined;
  /** Redirects followed so far (RFC 3261 §8.1.3.4 loop limit). */
  redirects = 0;
  /** Set by features that end the call for their own reason (RTP timeout, transfer). */
  endReason: { reason: CallEndReason; text: string } | undefined;
  /** The answer we sent in a 183 (the 200 repeats it). */
  private earlyAnswer: SessionBody | undefined;
  private unsubscribe: (() => void) | undefined;
  private watchdog: TimerHandle | undefined;
  private answered = false;

  constructor(
    readonly direction: CallDirection,
    /** The far end's address (To of our INVITE, From of theirs). */
    readonly remoteUri: string,
    session: InviteSession,
    private readonly ctx: CallContext,
    /** The account the call belongs to (undefined: a direct call). */
    readonly account: string | undefined,
  ) {
    super();
    this.state = direction === 'outgoing' ? 'dialing' : 'ringing';
    this.startedAt = ctx.clock.now();
    this.pump = new AudioPump(ctx.clock, this, (digit) => this.emit('dtmf', { digit, via: 'inband' }));
    this.session = session;
    this.attach(session);
  }

  get stream() {
    return this.media?.stream;
  }

  get sampleRate(): number {
    return this.media?.sampleRate ?? 8000;
  }

  /** We hold the peer / the peer holds us. */
  get held(): { local: boolean; remote: boolean } {
    return { local: this.media?.localHold ?? false, remote: this.media?.remoteHold ?? false };
  }

  get muted(): boolean {
    return this.pump.muted;
  }

  /** Mute is local only: silence is sent, nothing is signalled. */
  setMuted(muted: boolean): void {
    this.pump.muted = muted;
  }

  /** Plays a source to the peer (replacing the current one). */
  play(source: CallAudioSource): void {
    this.pump.source = source;
  }

  /** Adds a sink for the received audio; returns its removal. */
  listen(sink: CallAudioSink): () => void {
    this.pump.sinks.add(sink);
    return () => this.pump.sinks.delete(sink);
  }

  /** Received audio as an async iterator of PCM frames (20 ms, mono, `sampleRate`). */
  audio(): AsyncIterable<Int16Array> {
    const tap = new PcmTap();
    this.pump.sinks.add(tap);
    this.once('ended', () => void tap.close());
    return tap;
  }

  /** Resolves with how the call ended (at once when it already has). */
  whenEnded(): Promise<CallEnd> {
    return this.end !== undefined ? Promise.resolve(this.end) : new Promise((resolve) => this.once('ended', resolve));
  }

  /** @internal the phone binds the media once its port is open. */
  setMedia(media: CallMedia): void {
    this.media = media;
    this.session.hooks = media;
    media.onChange((m) => {
      this.emit('media', { codec: m.send.encoding, srtp: m.srtp?.suite, direction: m.direction, remote: `${m.remoteAddress}:${m.remotePort}` });
      if (this.media?.stream) this.wireStream();
    });
  }

  private wiredStream: unknown;
  private wireStream(): void {
    const stream = this.media!.stream!;
    if (this.wiredStream === stream) return;
    this.wiredStream = stream;
    stream.on('dtmf', (d) => {
      if (d.phase === 'begin') this.emit('dtmf', { digit: d.key, via: 'rfc4733' });
    });
    if (this.state !== 'ended') this.pump.start();
  }

  /** @internal follows a new session (3xx). */
  attach(session: InviteSession): void {
    this.unsubscribe?.();
    this.session = session;
    if (this.media) session.hooks = this.media;
    this.unsubscribe = session.on((e) => this.onSession(e));
  }

  private setState(s: CallState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  private onSession(e: SessionEvent): void {
    switch (e.type) {
      case 'progress':
        if (e.status > 100) {
          this.setState('ringing');
          this.emit('ringing', { status: e.status, earlyMedia: e.response.body.length > 0 });
        }
        return;
      case 'early-media':
        this.media?.acceptAnswer(e.body);
        return;
      case 'answered':
        if (e.remote !== undefined && this.media?.offerPending) {
          const r = this.media.acceptAnswer(e.remote);
          if (!r.ok) return this.fail('codec-mismatch', `unusable answer: ${r.reason}`);
        }
        if (this.media?.stream === undefined) return this.fail('codec-mismatch', 'no common codec');
        this.answered = true;
        this.answeredAt = this.ctx.clock.now();
        this.setState('active');
        this.startWatchdog();
        this.emit('answered');
        return;
      case 'media-changed': {
        if (e.direction === 'sent' && this.media?.offerPending) this.media.acceptAnswer(e.remote);
        this.emit('held', this.held);
        return;
      }
      case 'offer-failed':
        // Our hold/resume offer was refused: the media stays as it was.
        this.media?.offerRefused();
        return;
      case 'dtmf-info':
        this.emit('dtmf', { digit: e.dtmf.signal, via: 'info' });
        return;
      case 'refer':
        this.ctx.referred(this, e.refer);
        return;
      case 'refer-response':
        this.emit('transfer-progress', { status: e.status, reason: e.reason, final: e.status >= 300 });
        return;
      case 'notify':
        if (e.sipfrag) this.emit('transfer-progress', { status: e.sipfrag.status, reason: e.sipfrag.reason, final: e.final });
        return;
      case 'replaced':
        this.endReason = { reason: 'replaced', text: 'replaced by another call (RFC 3891)' };
        return;
      case 'ended':
        if (!this.answered && this.endReason === undefined) {
          const next = this.ctx.redirect(this, e);
          if (next !== undefined && 'reason' in next) return this.finish({ reason: next.reason, status: e.status, text: next.text, answered: false });
          if (next !== undefined) {
            this.redirects++;
            this.attach(next);
            return;
          }
        }
        this.finish({ reason: this.endReason?.reason ?? e.reason, status: e.status, text: this.endReason?.text ?? e.text, answered: this.answered });
        return;
      case 'info':
      case 'session-timer':
        return;
    }
  }

  /** Ends the call for a media reason (BYE, or CANCEL/refusal before the answer). */
  fail(reason: CallEndReason, text: string): void {
    this.endReason = { reason, text };
    this.session.terminate();
    // A session that was already over reports nothing more.
    if (this.session.state === 'terminated' && this.state !== 'ended') this.finish({ reason, status: undefined, text, answered: this.answered });
  }

  // --- incoming -------------------------------------------------------------------------------

  private ringback: CallAudioSource | undefined;
  private afterRingback: CallAudioSource = { read: (o) => (o.fill(0), true) };

  /** Incoming: ring with 180, or with 183 and ringback tone as early media. */
  ring(options: { earlyMedia?: CallAudioSource } = {}): void {
    if (this.session.state !== 'incoming') return;
    if (options.earlyMedia && this.session.remote && this.media) {
      this.earlyAnswer = this.media.answerOffer(this.session.remote);
      if (this.earlyAnswer) {
        this.afterRingback = this.pump.source;
        this.ringback = options.earlyMedia;
        this.pump.source = options.earlyMedia;
        this.session.progress(183, { body: this.earlyAnswer });
        return;
      }
    }
    this.session.progress(180);
  }

  /** Incoming: answers with 200 (our answer, or our offer when the INVITE had none). */
  answer(): boolean {
    if (this.direction !== 'incoming' || (this.session.state !== 'incoming' && this.session.state !== 'early')) return false;
    if (this.ringback !== undefined && this.pump.source === this.ringback) this.pump.source = this.afterRingback;
    // After a 183 with our answer the session knows what the 200 carries (RFC 3262 §5: nothing
    // after a reliable 1xx, the same answer again after an unreliable one).
    let body: SessionBody | undefined;
    if (this.earlyAnswer === undefined && this.session.remote !== undefined) {
      body = this.media?.answerOffer(this.session.remote);
      if (body === undefined) {
        this.session.reject(488);
        return false;
      }
    }
    this.setState('answering');
    if (body !== undefined) this.session.accept({ body });
    else this.session.accept();
    return true;
  }

  /** Incoming: refuses (486 Busy Here by default, 603 Decline ...). */
  reject(status = 486): void {
    if (this.session.state === 'incoming' || this.session.state === 'early') this.session.reject(status);
  }

  /** Ends the call whatever its state: CANCEL, refusal (603) or BYE. */
  hangup(): void {
    if (this.state === 'ended') return;
    this.session.terminate();
  }

  // --- end ------------------------------------------------------------------------------------

  private startWatchdog(): void {
    if (this.ctx.rtpTimeoutMs <= 0) return;
    const check = (): void => {
      this.watchdog = this.ctx.clock.setTimer(1000, check);
      if (this.state !== 'active' || this.held.local || this.held.remote || !this.pump.running) return;
      if (this.ctx.clock.now() - this.pump.lastPacketAt > this.ctx.rtpTimeoutMs) {
        this.fail('rtp-timeout', `no RTP for ${Math.round(this.ctx.rtpTimeoutMs / 1000)} s`);
      }
    };
    this.watchdog = this.ctx.clock.setTimer(1000, check);
  }

  /** @internal */
  finish(end: CallEnd): void {
    if (this.state === 'ended') return;
    this.end = end;
    if (this.watchdog) this.ctx.clock.clearTimer(this.watchdog);
    this.pump.stop();
    this.media?.close();
    this.unsubscribe?.();
    this.setState('ended');
    this.emit('ended', end);
  }
}
