// The RTP side of bench/ui-rtp-endpoint.ts, in a worker thread so that its pacing and its
// stamps do not wait on the engine's event loop (the engine runs in the main thread): a far end
// sends on time whatever Handset is doing, and packets wait in the socket until Handset reads them.
import { createSocket } from 'node:dgram';
import { parentPort } from 'node:worker_threads';
import { linearToUlaw, ulawToLinear } from '../src/codecs/index.js';
import { createRtpPacket, parseRtpPacket, sizeOfRtpPacket, writeRtpPacket } from '../src/rtp/index.js';
import { OnsetDetector } from './ui-latency-stats.js';

const SAMPLES = 160; // 20 ms of PCMU
const PCMU = 0;
/** Marker onsets: a sample at this level after 100 ms of quieter ones (8 kHz). */
const ONSET_LEVEL = 4000;
const ONSET_QUIET = 800;

/** What the worker tells the main thread. */
export type EndpointEvent =
  | { type: 'ready'; port: number }
  | { type: 'received'; count: number }
  | { type: 'sent-marker'; at: number }
  | { type: 'arrived-marker'; at: number; index: number };

const wallNow = (): number => performance.timeOrigin + performance.now();
const port = parentPort!;
const post = (e: EndpointEvent): void => port.postMessage(e);

const socket = createSocket('udp4');
const silence = Buffer.alloc(SAMPLES, linearToUlaw(0));
const marker = Buffer.alloc(SAMPLES);
for (let i = 0; i < SAMPLES; i++) marker[i] = linearToUlaw(Math.round(Math.sin((2 * Math.PI * 1000 * (i + 0.5)) / 8000) * 20000));
const onsets = new OnsetDetector(ONSET_LEVEL, ONSET_QUIET);
const pcm = new Int16Array(SAMPLES);
let peer: { address: string; port: number } | undefined;
let received = 0;
socket.on('message', (msg, rinfo) => {
  const at = wallNow();
  const r = parseRtpPacket(msg);
  if (!r.ok || r.value.payloadType !== PCMU) return;
  if (++received % 10 === 0) post({ type: 'received', count: received });
  peer ??= { address: rinfo.address, port: rinfo.port };
  const p = r.value.payload;
  const n = Math.min(p.length, SAMPLES);
  for (let i = 0; i < n; i++) pcm[i] = ulawToLinear(p[i]!);
  const index = onsets.feed(pcm.subarray(0, n));
  if (index >= 0) post({ type: 'arrived-marker', at, index });
});

let timer: NodeJS.Timeout | undefined;
const pkt = createRtpPacket();
pkt.payloadType = PCMU;
pkt.ssrc = 0x1a7e9c;
pkt.payload = silence;
const buf = Buffer.alloc(sizeOfRtpPacket(pkt));

/** Sends 20 ms packets from now on, due at start + n × 20 ms on the wall clock (late timers never drift). */
function startSending(markerEvery: number): void {
  const start = wallNow();
  let n = 0;
  const tick = (): void => {
    while (wallNow() >= start + n * 20) {
      if (peer !== undefined) {
        const marked = markerEvery > 0 && n > 0 && n % markerEvery === 0;
        pkt.sequenceNumber = n & 0xffff;
        pkt.timestamp = (n * SAMPLES) >>> 0;
        pkt.marker = n === 0;
        pkt.payload = marked ? marker : silence;
        writeRtpPacket(pkt, buf, 0);
        if (marked) post({ type: 'sent-marker', at: wallNow() });
        socket.send(buf, peer.port, peer.address);
      }
      n++;
    }
    timer = setTimeout(tick, Math.max(0, start + n * 20 - wallNow()));
  };
  tick();
}

port.on('message', (m: { type: 'send'; markerEvery: number } | { type: 'close' }) => {
  if (m.type === 'send') startSending(m.markerEvery);
  else {
    clearTimeout(timer);
    socket.close(() => port.close());
  }
});
socket.bind(0, '127.0.0.1', () => post({ type: 'ready', port: socket.address().port }));
