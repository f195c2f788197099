// Media pipeline throughput: packets per second on one core through the full receive path
// (SRTP unprotect, RTP parse, jitter buffer, G.711 decode) and the send path (G.711 encode, RTP,
// SRTP protect), where the time goes per packet, and how many concurrent 20 ms G.711+SRTP calls
// one core carries in real time with under 0.1 % late frames.
import { SystemClock, ManualClock, type Clock } from '../src/util/index.js';
import { pcmuCodec } from '../src/codecs/index.js';
import { MediaStream, JitterBuffer, type DatagramAddress, type DatagramPort } from '../src/media/index.js';
import { parseRtpPacket, SrtpContext, writeRtpPacket, createRtpPacket } from '../src/rtp/index.js';
import { fmtRate } from './support.js';

const key = { profile: 'AES_CM_128_HMAC_SHA1_80' as const, key: Buffer.alloc(16, 7), salt: Buffer.alloc(14, 9) };
const peer: DatagramAddress = { address: '127.0.0.2', port: 40000 };

/** A port that delivers nothing (send path) but lets the bench push datagrams in (receive path). */
function benchPort(): DatagramPort & { deliver(data: Buffer): void } {
  let handler: (d: Buffer, f: DatagramAddress) => void = () => {};
  return {
    local: { address: '127.0.0.1', port: 30000 },
    send: () => {},
    onDatagram: (h) => (handler = h),
    close: () => {},
    deliver: (d) => handler(d, peer),
  };
}

function stream(clock: Clock, port: DatagramPort): MediaStream {
  return new MediaStream({
    clock, rtp: port, remote: peer, send: { codec: pcmuCodec, payloadType: 0 },
    receive: new Map([[0, pcmuCodec]]), srtp: { send: key, receive: key },
  });
}

/** `count` protected PCMU packets of a 440 Hz tone, as a peer would send them. */
export function peerPackets(count: number, ssrc = 0x1234): Buffer[] {
  const ctx = new SrtpContext(key.profile, key.key, key.salt);
  const enc = pcmuCodec.createEncoder();
  const pkt = createRtpPacket();
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const pcm = new Int16Array(160);
    for (let j = 0; j < 160; j++) pcm[j] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (i * 160 + j)) / 8000));
    const payload = Buffer.alloc(160);
    enc.encode(pcm, payload);
    Object.assign(pkt, { payloadType: 0, sequenceNumber: i & 0xffff, timestamp: i * 160, ssrc, marker: i === 0, payload });
    const b = Buffer.alloc(172);
    writeRtpPacket(pkt, b, 0);
    out.push(ctx.protectRtp(b));
  }
  return out;
}

function cpuSeconds(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1e6;
}

export function receivePath(packets: Buffer[]): number {
  const clock = new ManualClock();
  const port = benchPort();
  const s = stream(clock, port);
  let n = 0;
  const secs = cpuSeconds(() => {
    for (const p of packets) {
      port.deliver(Buffer.from(p)); // a fresh datagram, as the socket gives
      clock.advance(20);
      s.readAudio();
      n++;
    }
  });
  s.close();
  return n / secs;
}

export function sendPath(frames: number): number {
  const clock = new ManualClock();
  const s = stream(clock, benchPort());
  const pcm = new Int16Array(160).map((_, j) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * j) / 8000)));
  const secs = cpuSeconds(() => {
    for (let i = 0; i < frames; i++) {
      s.sendAudio(pcm);
      clock.advance(20);
    }
  });
  s.close();
  return frames / secs;
}

/** Microseconds per packet for each stage of the receive path, measured in isolation. */
function breakdown(packets: Buffer[]): Record<string, number> {
  const per = (secs: number) => (secs * 1e6) / packets.length;
  const ctx = new SrtpContext(key.profile, key.key, key.salt);
  const copies = packets.map((p) => Buffer.from(p));
  const plain: Buffer[] = [];
  const srtp = cpuSeconds(() => {
    for (const p of copies) {
      const r = ctx.unprotectRtp(p);
      if (r.ok) plain.push(r.value);
    }
  });
  const parsedPayloads: Buffer[] = [];
  const into = createRtpPacket();
  const parse = cpuSeconds(() => {
    for (const p of plain) {
      const r = parseRtpPacket(p, 0, p.length, into);
      if (r.ok) parsedPayloads.push(r.value.payload);
    }
  });
  const dec = pcmuCodec.createDecoder();
  const out = new Int16Array(160);
  const codec = cpuSeconds(() => {
    for (const p of parsedPayloads) dec.decode(p, out);
  });
  const jb = new JitterBuffer({ sampleRate: 8000, decode: () => out });
  const jitter = cpuSeconds(() => {
    parsedPayloads.forEach((p, i) => {
      jb.push({ sequenceNumber: i, timestamp: i * 160, payload: p }, i * 20);
      jb.pull(i * 20 + 20);
    });
  });
  return { 'SRTP unprotect': per(srtp), 'RTP parse': per(parse), 'jitter buffer + PLC': per(jitter), 'G.711 decode': per(codec) };
}

/**
 * N calls on one real 20 ms clock for `seconds`: each tick every stream sends a frame, receives
 * the peer's packet and plays a frame. A tick that ends after its deadline makes its frames late.
 */
async function realTime(n: number, seconds: number): Promise<{ lateFraction: number; cpu: number }> {
  const clock = new SystemClock();
  const ports = Array.from({ length: n }, benchPort);
  const streams = ports.map((p) => stream(clock, p));
  const packets = peerPackets(seconds * 50 + 10);
  const pcm = new Int16Array(160);
  let late = 0;
  let ticks = 0;
  const c0 = process.cpuUsage();
  const start = performance.now();
  await new Promise<void>((resolve) => {
    // Frame k is started at start + 20k and must be done before start + 20(k + 1).
    const tick = () => {
      for (let i = 0; i < n; i++) {
        streams[i]!.sendAudio(pcm);
        ports[i]!.deliver(Buffer.from(packets[ticks]!));
        streams[i]!.readAudio();
      }
      if (performance.now() > start + (ticks + 1) * 20) late++;
      ticks++;
      if (ticks >= seconds * 50) return resolve();
      setTimeout(tick, Math.max(0, start + ticks * 20 - performance.now()));
    };
    setTimeout(tick, 0);
  });
  const d = process.cpuUsage(c0);
  for (const s of streams) s.close();
  return { lateFraction: late / ticks, cpu: (d.user + d.system) / 1e6 / ((performance.now() - start) / 1000) };
}

export async function run(): Promise<void> {
  const packets = peerPackets(20_000);
  const rx = receivePath(packets);
  const tx = sendPath(20_000);
  process.stdout.write(`receive path (SRTP AES_CM_80 → parse → jitter buffer → PCMU decode): ${fmtRate(rx)} packets/s per core\n`);
  process.stdout.write(`send path (PCMU encode → RTP → SRTP protect):                          ${fmtRate(tx)} packets/s per core\n`);
  for (const [stage, us] of Object.entries(breakdown(packets))) process.stdout.write(`  ${stage.padEnd(22)} ${us.toFixed(2).padStart(7)} µs/packet\n`);
  const perCallPerSecond = 50 / rx + 50 / tx;
  const estimate = Math.floor(1 / perCallPerSecond);
  process.stdout.write(`estimated calls per core (50 packets/s each way): ${estimate}\n`);
  // Confirm in real time, stepping down until late frames stay under 0.1 % (baresip: ~200 calls/core).
  for (let n = Math.min(4000, Math.floor(estimate * 0.9)); n >= 50; n = Math.floor(n * 0.8)) {
    const r = await realTime(n, 4);
    process.stdout.write(`  ${String(n).padStart(5)} concurrent calls in real time: ${(r.lateFraction * 100).toFixed(2)} % late ticks, ${(r.cpu * 100).toFixed(0)} % of a core\n`);
    if (r.lateFraction < 0.001) {
      process.stdout.write(`concurrent 20 ms G.711+SRTP calls on one core with < 0.1 % late frames: ${n} (target ≥ 1,000; baresip ≈ 200)\n`);
      return;
    }
  }
  process.stdout.write('concurrent calls: fewer than 50 kept up\n');
}
