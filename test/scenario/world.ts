// Handsets on in-memory networks (SIP and RTP) sharing one stepping manual clock.
import { SipStack } from '../../src/sip/index.js';
import { sessionCapabilities } from '../../src/phone/index.js';
import { pcmuCodec, pcmaCodec, type AudioCodec } from '../../src/codecs/index.js';
import { Phone, type PhoneOptions, type Call, type CallAudioSink } from '../../src/phone/index.js';
import { MemoryNetwork as SipNetwork, SteppingClock, runFor } from '../unit/sip/ua/memory-network.js';
import { MemoryNetwork as RtpNetwork } from '../support/memory-network.js';
import type { SrtpPolicy } from '../../src/sdp/index.js';

export interface World {
  clock: SteppingClock;
  sip: SipNetwork;
  rtp: RtpNetwork;
  phone(host: string, options?: Partial<PhoneOptions> & { codecs?: AudioCodec[]; srtp?: SrtpPolicy }): Promise<Phone>;
  run(ms: number): Promise<void>;
}

export function world(): World {
  const clock = new SteppingClock(0);
  const sip = new SipNetwork(clock);
  const rtp = new RtpNetwork(clock);
  let nextPort = 20000;
  return {
    clock,
    sip,
    rtp,
    async phone(host, options = {}) {
      const { codecs: _c, srtp: _s, ...rest } = options;
      const transport = sip.transport();
      await transport.listen({ transport: 'udp', address: host, port: 5060 });
      const stack = new SipStack({ transport, clock, capabilities: sessionCapabilities });
      const phone = new Phone({
        stack,
        clock,
        media: { address: host, codecs: options.codecs ?? [pcmuCodec, pcmaCodec], srtp: options.srtp ?? 'off', bindPort: async (a) => rtp.bind(a, (nextPort += 2)) },
        random: () => 0.5,
        ...rest,
      });
      phone.start();
      return phone;
    },
    run: (ms) => runFor(sip, ms),
  };
}

/** Collects every received frame of a call. */
export function collect(call: Call): { frames: Int16Array[]; pcm(fromMs?: number): Int16Array } {
  const frames: Int16Array[] = [];
  const sink: CallAudioSink = { write: (f) => void frames.push(f.slice()) };
  call.listen(sink);
  return {
    frames,
    pcm(fromMs = 0) {
      const skip = Math.floor(fromMs / 20);
      const list = frames.slice(skip);
      const out = new Int16Array(list.reduce((n, f) => n + f.length, 0));
      let at = 0;
      for (const f of list) {
        out.set(f, at);
        at += f.length;
      }
      return out;
    },
  };
}

/** Resolves with the next call the phone rings with. */
export const nextIncoming = (phone: Phone): Promise<Call> => new Promise((resolve) => phone.once('incoming', resolve));
