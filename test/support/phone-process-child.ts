// The child side of phone-process.ts: one Handset Phone (the library's startPhone) in its own
// process, driven over the Node IPC channel. Requests in ({ id, op, ... }), answers and call
// events out. Every call plays this phone's tone and keeps its last seconds of received audio,
// so the parent can ask "how loud is X Hz in the last N ms" without moving PCM over IPC.
import { cadence, continuous, detectTone, sound } from '../../src/media/index.js';
import {
  Conference, phoneCommands, sendDtmf, sendFlash, setHold, startPhone, toneSource,
  type AccountSettings, type Call, type DtmfMode, type Phone, type ReferPolicy,
} from '../../src/phone/index.js';
import type { ChildRequest, PhoneProcessConfig, ToneReport } from './phone-process-protocol.js';

/** Received audio kept per call (20 ms frames). */
const KEEP_FRAMES = 200;

interface Tracked {
  call: Call;
  /** Received frames, the newest last (the pump delivers one every 20 ms, silence included). */
  frames: Int16Array[];
}

const calls = new Map<string, Tracked>();
let phone: Phone | undefined;
let toneHz = 0;
let conference: Conference | undefined;

const send = (m: object): void => void process.send?.(m);
const emit = (event: string, call: Call | undefined, data: object = {}): void => send({ type: 'event', event, call: call?.id, at: Date.now(), ...data });

function track(call: Call): void {
  const t: Tracked = { call, frames: [] };
  calls.set(call.id, t);
  if (toneHz > 0) call.play(toneSource(toneHz));
  call.listen({
    write: (f) => {
      t.frames.push(f.slice());
      if (t.frames.length > KEEP_FRAMES) t.frames.shift();
    },
  });
  emit('call', call, { direction: call.direction, remote: call.remoteUri, callId: call.session.callId });
  call.on('ringing', (r) => emit('ringing', call, r));
  watchSession(call);
  call.on('answered', () => {
    emit('answered', call, { redirects: call.redirects, remote: call.remoteUri });
    watchSession(call);
  });
  call.on('media', (m) => emit('media', call, m));
  call.on('held', (h) => emit('held', call, h));
  call.on('dtmf', (d) => emit('dtmf', call, d));
  call.on('transferred', (x) => emit('transferred', call, x));
  call.on('transfer-progress', (p) => emit('transfer-progress', call, p));
  call.on('ended', (end) => {
    calls.delete(call.id);
    emit('ended', call, end);
  });
}

const watched = new WeakSet<object>();

/** Session events the Call does not re-emit: which in-dialog offer/answer moved the media, RFC 4028 intervals. */
function watchSession(call: Call): void {
  const session = call.session;
  if (watched.has(session)) return;
  watched.add(session);
  session.on((e) => {
    if (e.type === 'media-changed') emit('offer-answer', call, { method: e.method, direction: e.direction, localVersion: sdpVersion(e.local.body), remoteVersion: sdpVersion(e.remote.body), local: sdpDirection(e.local.body), remote: sdpDirection(e.remote.body) });
    if (e.type === 'offer-failed') emit('offer-failed', call, { method: e.method, status: e.status });
    if (e.type === 'session-timer') emit('session-timer', call, { intervalS: e.intervalS, weRefresh: e.weRefresh });
  });
}

/** The o= line's session version (RFC 4566 §5.2), as text. */
const sdpVersion = (sdp: Buffer): string | undefined => /^o=\S+ \S+ (\d+)/m.exec(sdp.toString('latin1'))?.[1];
/** The audio stream's direction attribute (sendrecv when none). */
const sdpDirection = (sdp: Buffer): string => /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(sdp.toString('latin1'))?.[1] ?? 'sendrecv';

/** A steady tone of one or more frequencies, or a burst of `onMs` (a DTMF digit as audio). */
const tone = (hz: number | number[], onMs?: number) => {
  const s = sound(...(typeof hz === 'number' ? [hz] : hz));
  return toneSource(onMs === undefined ? continuous(s) : cadence(s, onMs, 600_000));
};

function pick(id: string | undefined): Call {
  const live = phone!.activeCalls;
  const c = id === undefined ? live[live.length - 1] : live.find((x) => x.id === id);
  if (c === undefined) throw new Error(id === undefined ? 'no call' : `no call ${id}`);
  return c;
}

/** The last `ms` of what `ids` received (all live calls when none named), summed as a speaker would play them. */
function heard(ids: string[] | undefined, ms: number): { pcm: Int16Array; rate: number } {
  const n = Math.max(1, Math.round(ms / 20));
  const chosen = ids === undefined ? [...calls.values()] : ids.map((id) => calls.get(id)).filter((x): x is Tracked => x !== undefined);
  const rate = chosen[0]?.call.sampleRate ?? 8000;
  const frame = rate / 50;
  const out = new Float64Array(n * frame);
  for (const t of chosen) {
    // Frames short of `ms` (a call younger than that) count as silence.
    const list = t.frames.slice(-n);
    const skip = n - list.length;
    list.forEach((f, i) => {
      for (let j = 0; j < frame && j < f.length; j++) out[(skip + i) * frame + j]! += f[j]!;
    });
  }
  return { pcm: Int16Array.from(out, (v) => Math.max(-32768, Math.min(32767, Math.round(v)))), rate };
}

/** Level of each frequency: share of the power (ratio) and dB below a full-scale sine. */
function measure(pcm: Int16Array, rate: number, freqs: number[], windowMs: number | undefined): ToneReport {
  const win = windowMs === undefined ? pcm.length : Math.max(1, Math.round((windowMs * rate) / 1000));
  const report: ToneReport = { rms: 0, tones: {} };
  let sq = 0;
  for (const s of pcm) sq += s * s;
  report.rms = Math.sqrt(sq / Math.max(1, pcm.length));
  for (const hz of freqs) {
    let best = { ratio: 0, dbov: -120 };
    // The strongest window: a short tone (call waiting) counts where it sounded.
    for (let start = 0; start + win <= pcm.length; start += win) {
      const m = detectTone(pcm.subarray(start, start + win), rate, hz);
      const dbov = m.power > 0 ? 10 * Math.log10(m.power / (32768 * 32768 / 2)) : -120;
      if (m.ratio > best.ratio || (m.ratio === best.ratio && dbov > best.dbov)) best = { ratio: m.ratio, dbov };
    }
    report.tones[String(hz)] = { ratio: Math.round(best.ratio * 1000) / 1000, dbov: Math.round(best.dbov * 10) / 10 };
  }
  return report;
}

/** Renegotiates the call's media with an offer of only `codecs` (re-INVITE or UPDATE, RFC 3311). */
function reoffer(call: Call, method: 'INVITE' | 'UPDATE', codecs: string[]): boolean {
  const media = call.media;
  if (media === undefined || media.offerPending || call.state !== 'active') return false;
  const all = phone!.options.media.codecs;
  const chosen = codecs.map((n) => all.find((c) => c.name.toLowerCase() === n.toLowerCase())).filter((c) => c !== undefined);
  if (chosen.length === 0) return false;
  // Only this offer is narrowed: answers to the peer's later offers use every codec again.
  const before = media.settings.codecs;
  media.settings.codecs = chosen;
  const body = media.createOffer();
  media.settings.codecs = before;
  const sent = method === 'UPDATE' ? call.session.update({ body }) : call.session.reinvite({ body });
  if (!sent) media.offerRefused();
  return sent;
}

async function handle(r: ChildRequest): Promise<unknown> {
  const p = phone!;
  switch (r.op) {
    case 'command': {
      const c = phoneCommands.find((x) => x.name === r.name);
      if (c === undefined) throw new Error(`no command ${r.name}`);
      return c.run(p, r.args);
    }
    case 'tone': {
      const { pcm, rate } = heard(r.calls, r.lastMs);
      return measure(pcm, rate, r.freqs, r.windowMs);
    }
    case 'play':
      if (r.call !== undefined) pick(r.call).play(tone(r.hz, r.onMs));
      else if (typeof r.hz === 'number' && r.onMs === undefined) {
        toneHz = r.hz;
        for (const c of p.activeCalls) c.play(toneSource(r.hz));
      } else throw new Error('play: a burst or a chord needs a call');
      return true;
    case 'dial': {
      const c = await p.dial(r.target, r.headers ? { headers: r.headers } : {});
      if (typeof c === 'string') throw new Error(c);
      return c.id;
    }
    case 'set': {
      if (p.account === undefined && Object.keys(r.account).length > 0) throw new Error('set: this phone has no account');
      const s = (p.account?.settings ?? {}) as AccountSettings;
      Object.assign(s, r.account);
      for (const k of Object.keys(r.account) as Array<keyof AccountSettings>) if (r.account[k] === null) delete s[k];
      if (r.phone?.referPolicy !== undefined) p.options.referPolicy = r.phone.referPolicy as ReferPolicy;
      if (r.phone?.dtmfMode !== undefined) p.options.dtmfMode = r.phone.dtmfMode as DtmfMode;
      return true;
    }
    case 'dtmf':
      return sendDtmf(pick(r.call), p.options.clock, r.digits, r.mode as DtmfMode);
    case 'flash':
      return sendFlash(pick(r.call), r.mode as DtmfMode);
    case 'hold':
      return setHold(pick(r.call), r.hold, r.method);
    case 'reoffer':
      return reoffer(pick(r.call), r.method, r.codecs);
    case 'conference':
      conference = new Conference(p.options.clock, r.calls.map((id) => pick(id)));
      return true;
    case 'split':
      conference?.split();
      conference = undefined;
      return true;
    case 'close':
      await p.close();
      setTimeout(() => process.exit(0), 20);
      return true;
  }
}

async function start(cfg: PhoneProcessConfig): Promise<void> {
  toneHz = cfg.toneHz;
  const options: Parameters<typeof startPhone>[0] = { rtpTimeoutMs: cfg.rtpTimeoutMs ?? 0 };
  if (cfg.account !== undefined) options.account = cfg.account;
  if (cfg.maxLines !== undefined) options.maxLines = cfg.maxLines;
  if (cfg.prack !== undefined) options.prack = cfg.prack;
  if (cfg.inbandDtmf) options.inbandDtmf = true;
  if (cfg.srtp !== undefined) options.srtp = cfg.srtp;
  phone = await startPhone(options);
  phone.on('call', track);
  phone.on('incoming', (c) => emit('incoming', c, { from: c.remoteUri }));
  phone.on('refused', (r) => emit('refused', undefined, r));
  phone.on('registration', (e) => {
    if (e.type === 'registered') emit('registered', undefined);
    else if (e.type === 'registration-failed') emit('registration-failed', undefined, { reason: e.reason });
  });
  // SIP messages as they leave and arrive (method or status, CSeq): evidence of PRACK, 302 ...
  phone.options.stack.onTrace((e) => emit('sip', undefined, { direction: e.direction, transport: e.transport, line: e.firstLine, cseq: e.cseq, callId: e.callId }));
  send({ type: 'ready', sip: phone.options.stack.localAddress('udp') });
}

process.on('message', (m: { type: 'start'; config: PhoneProcessConfig } | ChildRequest) => {
  if ('type' in m && m.type === 'start') {
    start(m.config).catch((e: Error) => send({ type: 'fatal', error: e.stack ?? String(e) }));
    return;
  }
  const r = m as ChildRequest;
  handle(r).then(
    (value) => send({ type: 'reply', id: r.id, ok: true, value }),
    (e: Error) => send({ type: 'reply', id: r.id, ok: false, error: e.message }),
  );
});
// The parent went away (test crashed): no orphan phone.
process.on('disconnect', () => process.exit(0));
