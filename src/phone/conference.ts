// Local conference (3-way calling and more): we talk to several calls at once and each peer
// hears us plus all the other peers. Media's ConferenceMixer does the mixing and clocks the
// merged streams (the calls' pumps stand aside); each call still hears its own peer through its
// pump's `hear` (sinks, recording, in-band DTMF, RTP inactivity). Our voice is the first call's
// source, read once per 20 ms for everybody.
import type { Clock } from '../util/index.js';
import { ConferenceMixer, NullSink, type AudioSource, type AudioTap, type MediaStream } from '../media/index.js';
import type { Call } from './call.js';
import { setHold } from './hold.js';
import { silence, type CallAudioSource } from './call-audio.js';

export class Conference {
  private readonly mixer: ConferenceMixer;
  private readonly members = new Map<Call, MediaStream>();
  private readonly rejoin = new Map<Call, () => void>();
  private source: CallAudioSource;
  private voice: Int16Array;

  constructor(clock: Clock, readonly calls: readonly Call[]) {
    if (calls.length < 2) throw new Error('a conference needs two calls or more');
    const first = calls[0]!;
    this.source = first.pump.source;
    this.mixer = new ConferenceMixer({ clock, sampleRate: first.sampleRate });
    this.voice = new Int16Array(first.sampleRate / 50);
    this.mixer.setLocal({ source: this.ourVoice(), sink: new NullSink(this.mixer.sampleRate) });
    for (const c of calls) {
      if (c.held.local) setHold(c, false);
      c.pump.stop();
      c.pump.localFrame = () => this.voice;
      this.join(c);
      const rejoin = (): void => this.join(c);
      this.rejoin.set(c, rejoin);
      c.on('media', rejoin);
      c.once('ended', () => this.leave(c));
    }
    this.mixer.start();
  }

  /** Back to separate calls (each keeps talking to us alone; the first one keeps our voice). */
  split(): void {
    this.mixer.stop();
    for (const c of [...this.members.keys()]) this.leave(c);
  }

  /** Adds the call's current stream (again, after a renegotiation built a new one). */
  private join(c: Call): void {
    const stream = c.stream;
    if (c.pump.localFrame === undefined || stream === undefined || this.members.get(c) === stream) return;
    this.mixer.remove(c.id);
    this.members.set(c, stream);
    this.mixer.add(c.id, stream, { ptimeMs: (stream.sendFrameSamples * 1000) / c.sampleRate, tap: heardBy(c) });
  }

  private leave(c: Call): void {
    if (!this.members.delete(c)) return;
    this.mixer.remove(c.id);
    c.off('media', this.rejoin.get(c)!);
    c.pump.localFrame = undefined;
    if (c === this.calls[0]) c.pump.source = this.source;
    if (c.state !== 'ended') c.pump.start();
    if (this.members.size < 2) this.split();
  }

  /** The first call's source as the mixer's microphone; silence while any member is muted. */
  private ourVoice(): AudioSource {
    return {
      sampleRate: this.mixer.sampleRate,
      read: (out) => {
        if (!this.source.read(out, this.mixer.sampleRate)) this.source = silence;
        if ([...this.members.keys()].some((c) => c.pump.muted)) out.fill(0);
        if (this.voice.length !== out.length) this.voice = new Int16Array(out.length);
        this.voice.set(out);
        return true;
      },
      close: async () => undefined,
    };
  }
}

/** What the mixer sends a member and hears from it, handed to that call's pump. */
function heardBy(c: Call): AudioTap {
  let sent = new Int16Array(0);
  return {
    local: (frame) => void (sent = frame.slice()),
    remote: (frame) => c.pump.hear(frame, sent),
  };
}
