// One call's media: SDP offer/answer (sdp/) on one side, the MediaStream (media/) on the other.
// The RTP port is bound before any SDP is made, so the session's synchronous hooks can answer.
// The stream for an answer we give is built after the response carrying it has left (a
// microtask later, or when first asked for): building it and sending the first frame would
// otherwise delay the 200 (or 183) by as long again as making the answer.
import { pooledRandomBytes, type Clock } from '../util/index.js';
import {
  applyAnswer, createAnswer, createOffer, holdDirection, parseSdp, serializeSdp,
  type LocalCapabilities, type NegotiatedMedia, type SessionDescription, type SrtpPolicy,
} from '../sdp/index.js';
import { MediaStream, type DatagramPort, type MediaDirection } from '../media/index.js';
import type { AudioCodec } from '../codecs/index.js';
import type { SrtpProfile } from '../rtp/index.js';
import type { OfferAnswerHooks, SessionBody } from './sip-api.js';

export interface MediaSettings {
  clock: Clock;
  /** Address written in SDP (c=, o=). */
  address: string;
  /** Voice codecs in preference order (comfort noise may be listed too). */
  codecs: readonly AudioCodec[];
  srtp: SrtpPolicy;
  /** Offer RFC 4733 telephone-event (default true). */
  telephoneEvent?: boolean;
  /** Binds our RTP port (real UDP in the app, the in-memory network in tests). */
  bindPort(address: string): Promise<DatagramPort>;
}

const SDP = 'application/sdp';
const body = (sd: SessionDescription): SessionBody => ({ contentType: SDP, body: Buffer.from(serializeSdp(sd)) });

const keysOf = (m: NegotiatedMedia): string => (m.srtp ? `${m.srtp.suite}/${m.srtp.send.masterKey.toString('hex')}/${m.srtp.receive.masterKey.toString('hex')}` : '');

/** What happened to the media after an offer/answer step. */
export type MediaOutcome = { ok: true; media: NegotiatedMedia } | { ok: false; reason: string };

export class CallMedia implements OfferAnswerHooks {
  negotiated: NegotiatedMedia | undefined;
  /** We hold (RFC 6337: sendonly, or inactive when the peer holds too). */
  localHold = false;
  /** The peer holds us (its last description did not let it receive). */
  remoteHold = false;
  /** Our last description sent (offer or answer): the `previous` of RFC 3264 §8. */
  private lastLocal: SessionDescription | undefined;
  /** Our offer waiting for its answer. */
  private pendingOffer: SessionDescription | undefined;
  private readonly listeners = new Set<(m: NegotiatedMedia) => void>();
  private built: MediaStream | undefined;
  /** The negotiation `built` follows (set or direction moved). */
  private builtFor: NegotiatedMedia | undefined;
  /** `negotiated` is newer than the stream (an answer we gave, built after it was sent). */
  private stale = false;
  /** Listeners not yet told of `negotiated`. */
  private untold = false;

  private constructor(readonly settings: MediaSettings, readonly port: DatagramPort) {}

  static async open(settings: MediaSettings): Promise<CallMedia> {
    return new CallMedia(settings, await settings.bindPort(settings.address));
  }

  /** The stream of the current negotiation (undefined without a usable codec or port). */
  get stream(): MediaStream | undefined {
    this.settle();
    return this.built;
  }

  /** Called whenever a negotiation took effect (new stream, direction change). */
  onChange(listener: (m: NegotiatedMedia) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private capabilities(): LocalCapabilities {
    const s = this.settings;
    const caps: LocalCapabilities = {
      address: s.address,
      port: this.port.local.port,
      // RTCP rides on the RTP port even without rtcp-mux (a=rtcp, RFC 3605): one socket per call.
      rtcpPort: this.port.local.port,
      // CN (RFC 3389) is listed when the settings hold it; the send codec is never an auxiliary one.
      codecs: s.codecs.map((c) => {
        const cap: LocalCapabilities['codecs'][number] = { encoding: c.name, clockRate: c.clockRate };
        if (c.payloadType !== null) cap.payloadType = c.payloadType;
        return cap;
      }),
      srtp: s.srtp,
      direction: holdDirection(this.localHold, false),
      // SDP session id and SDES keys: node:crypto bytes, without a generator call per draw.
      random: pooledRandomBytes,
    };
    if (s.telephoneEvent === false) caps.telephoneEvent = false;
    return caps;
  }

  /** OfferAnswerHooks: our offer (initial, re-INVITE, offerless INVITE). */
  createOffer(): SessionBody {
    const caps = this.capabilities();
    // RFC 6337 §5: a hold offer is inactive when the peer holds us too.
    caps.direction = holdDirection(this.localHold, this.remoteHold);
    const offer = createOffer(caps, this.lastLocal);
    this.pendingOffer = offer;
    this.lastLocal = offer;
    return body(offer);
  }

  /** OfferAnswerHooks: answer the peer's offer; undefined refuses it (488). */
  answerOffer(offer: SessionBody): SessionBody | undefined {
    const parsed = parseSdp(offer.body);
    if (!parsed.ok) return undefined;
    const r = createAnswer(parsed.value, this.capabilities(), this.lastLocal);
    if (!r.ok) return undefined;
    this.lastLocal = r.value.answer;
    this.pendingOffer = undefined;
    this.apply(r.value.negotiation.audio, true);
    return body(r.value.answer);
  }

  /** An offer of ours waits for its answer. */
  get offerPending(): boolean {
    return this.pendingOffer !== undefined;
  }

  /** PCM rate of the send codec (8000 for G.711). */
  get sampleRate(): number {
    const m = this.negotiated;
    const c = m && this.settings.codecs.find((x) => x.name.toLowerCase() === m.send.encoding.toLowerCase() && x.clockRate === m.send.clockRate);
    return c?.sampleRate ?? 8000;
  }

  /** Our re-offer was refused: back to the state before it (RFC 3264 §8: the old session stays). */
  offerRefused(): void {
    this.pendingOffer = undefined;
    if (this.negotiated) this.localHold = this.negotiated.direction === 'sendonly' || this.negotiated.direction === 'inactive';
  }

  /** The peer's answer to our pending offer (1xx, 2xx, ACK, re-INVITE/UPDATE answers). */
  acceptAnswer(answer: SessionBody): MediaOutcome {
    const offer = this.pendingOffer;
    if (offer === undefined) return { ok: false, reason: 'no offer pending' };
    const parsed = parseSdp(answer.body);
    if (!parsed.ok) return { ok: false, reason: parsed.error.reason };
    const r = applyAnswer(offer, parsed.value);
    if (!r.ok) return { ok: false, reason: r.error.reason };
    this.pendingOffer = undefined;
    this.apply(r.value.audio);
    return { ok: true, media: r.value.audio };
  }

  /** A negotiation took effect: its stream now, or (`later`: an answer about to be sent) after this turn. */
  private apply(m: NegotiatedMedia, later = false): void {
    if (m.remoteHold !== undefined) this.remoteHold = m.remoteHold;
    this.negotiated = m;
    this.stale = true;
    this.untold = true;
    if (!later) return this.tell();
    queueMicrotask(() => this.tell());
  }

  private tell(): void {
    this.settle();
    if (!this.untold || this.negotiated === undefined) return;
    this.untold = false;
    for (const l of [...this.listeners]) l(this.negotiated);
  }

  /** The stream (re)built for the negotiation; the same one kept when only the direction moved. */
  private settle(): void {
    const m = this.negotiated;
    if (!this.stale || m === undefined) return;
    this.stale = false;
    const before = this.builtFor;
    this.builtFor = m;
    const same = before !== undefined && this.built !== undefined && before.remoteAddress === m.remoteAddress && before.remotePort === m.remotePort &&
      before.send.payloadType === m.send.payloadType && before.send.encoding === m.send.encoding && keysOf(before) === keysOf(m);
    if (same) this.built!.setDirection(m.direction as MediaDirection);
    else {
      this.built?.close();
      this.built = this.buildStream(m);
    }
  }

  private buildStream(m: NegotiatedMedia): MediaStream | undefined {
    const find = (encoding: string, clockRate: number) => this.settings.codecs.find((c) => c.name.toLowerCase() === encoding.toLowerCase() && c.clockRate === clockRate);
    const send = find(m.send.encoding, m.send.clockRate);
    if (send === undefined || m.remotePort === 0) return undefined;
    const receive = new Map<number, AudioCodec>();
    for (const r of m.receive) {
      const c = find(r.encoding, r.clockRate);
      if (c !== undefined) receive.set(r.payloadType, c);
    }
    const options: ConstructorParameters<typeof MediaStream>[0] = {
      clock: this.settings.clock,
      rtp: this.port,
      remote: { address: m.remoteAddress, port: m.remotePort },
      remoteRtcp: { address: m.remoteRtcpAddress, port: m.remoteRtcpPort },
      send: { codec: send, payloadType: m.send.payloadType, ptimeMs: m.ptime },
      receive,
      direction: m.direction as MediaDirection,
      // Peers behind NAT send from another port of the signalled host (RFC 4961 latching, address-bound).
      latchPackets: 5,
    };
    // Silence goes as CN packets when both sides listed CN at the send codec's rate.
    if (m.comfortNoiseSend !== undefined && find('CN', m.send.clockRate) !== undefined) options.send.comfortNoisePayloadType = m.comfortNoiseSend;
    const te: { sendPayloadType?: number; receivePayloadTypes?: number[] } = {};
    if (m.telephoneEventSend) te.sendPayloadType = m.telephoneEventSend.payloadType;
    if (m.telephoneEventReceive) te.receivePayloadTypes = [m.telephoneEventReceive.payloadType];
    options.telephoneEvent = te;
    if (m.srtp) {
      const profile = m.srtp.suite as SrtpProfile;
      options.srtp = {
        send: { profile, key: m.srtp.send.masterKey, salt: m.srtp.send.masterSalt },
        receive: { profile, key: m.srtp.receive.masterKey, salt: m.srtp.receive.masterSalt },
      };
    }
    return new MediaStream(options);
  }

  /** Our offer for hold / resume (RFC 6337 §5: sendonly, or inactive when the peer holds too). */
  holdOffer(hold: boolean): SessionBody {
    this.localHold = hold;
    return this.createOffer();
  }

  close(): void {
    this.stale = false;
    this.untold = false;
    this.built?.close();
    this.built = undefined;
    this.port.close();
  }
}
