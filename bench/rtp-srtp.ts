// RTP/SRTP throughput on one core: SRTP protect and unprotect (AES_CM_128_HMAC_SHA1_80 and
// AEAD_AES_128_GCM) on 172-octet G.711 packets (12 header + 160 payload), RTP parse/write,
// the AES-CM keystream approaches compared, and the stream count those rates allow.
import { createCipheriv } from 'node:crypto';
import { AesCounterMode, SrtpContext, createRtpPacket, parseRtpPacket, writeRtpPacket, type RtpPacket, type SrtpProfile } from '../src/rtp/index.js';
import { fmtRate } from './support.js';

/** CPU time of this process in ms: rates per core that hold on a machine busy with other work. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `fn` round-robin over `inputs` for about `ms` of CPU time after a warm-up; calls per CPU second. */
function throughput<T>(inputs: readonly T[], fn: (x: T) => unknown, ms = 1000): number {
  for (let r = 0; r < 50; r++) for (const x of inputs) fn(x);
  let ops = 0;
  const start = cpuMs();
  let now = start;
  while (now - start < ms) {
    for (let r = 0; r < 10; r++) for (const x of inputs) fn(x);
    ops += 10 * inputs.length;
    now = cpuMs();
  }
  return (ops * 1000) / (now - start);
}

const PAYLOAD = 160;
const PACKET = 12 + PAYLOAD;

function plainPackets(count: number, ssrc: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const pkt: RtpPacket = { ...createRtpPacket(), payloadType: 0, sequenceNumber: i & 0xffff, timestamp: i * 160, ssrc, payload: Buffer.alloc(PAYLOAD, i & 0xff) };
    const buf = Buffer.alloc(PACKET);
    writeRtpPacket(pkt, buf);
    out.push(buf);
  }
  return out;
}

function keysFor(profile: SrtpProfile): [Buffer, Buffer] {
  const gcm = profile.startsWith('AEAD');
  return [Buffer.alloc(profile === 'AEAD_AES_256_GCM' ? 32 : 16, 0x2b), Buffer.alloc(gcm ? 12 : 14, 0x5a)];
}

function protectRate(profile: SrtpProfile): number {
  const [k, s] = keysFor(profile);
  const tx = new SrtpContext(profile, k, s);
  return throughput(plainPackets(1000, 1), (p) => tx.protectRtp(p));
}

/**
 * Unprotect decrypts in place and rejects replays, so each pass gets fresh copies of a batch of
 * distinct packets and a fresh receiving context; only the unprotect calls are timed.
 */
function unprotectRate(profile: SrtpProfile, ms = 1000): number {
  const [k, s] = keysFor(profile);
  const tx = new SrtpContext(profile, k, s);
  const batch = plainPackets(20000, 1).map((p) => tx.protectRtp(p));
  let packets = 0;
  let elapsed = 0;
  let warm = true;
  while (elapsed < ms) {
    const copies = batch.map((p) => Buffer.from(p));
    const rx = new SrtpContext(profile, k, s);
    const t0 = cpuMs();
    for (const c of copies) if (!rx.unprotectRtp(c).ok) throw new Error('bench: unprotect failed');
    const dt = cpuMs() - t0;
    if (warm) { warm = false; continue; }
    elapsed += dt;
    packets += copies.length;
  }
  return (packets * 1000) / elapsed;
}

export async function run(): Promise<void> {
  const line = (what: string, rate: number): void => {
    process.stdout.write(`${what.padEnd(52)}${fmtRate(rate)} packets/s\n`);
  };
  process.stdout.write('(rates per second of CPU time on one core)\n');
  const plain = plainPackets(1000, 7);
  const into = createRtpPacket();
  line('RTP parse (172 octets, reused object)', throughput(plain, (b) => parseRtpPacket(b, 0, b.length, into)));
  const parsed = plain.map((b) => { const r = parseRtpPacket(b); if (!r.ok) throw new Error(r.error); return r.value; });
  const out = Buffer.alloc(PACKET);
  line('RTP write (172 octets, reused buffer)', throughput(parsed, (p) => writeRtpPacket(p, out, 0)));

  // The AES-CM keystream choice (RFC 3711 §4.1.1) measured, per 172-octet packet: a new AES-128-CTR
  // cipher per packet, one long-lived AES-ECB cipher over the packet's counter blocks, and that ECB
  // cipher making 16 packets' keystreams per call (what SrtpContext does).
  const key = Buffer.alloc(16, 1);
  const iv = Buffer.alloc(16, 2);
  const zeros = Buffer.alloc(PAYLOAD);
  const ctr = new AesCounterMode(key);
  const ivs = Buffer.alloc(16 * 16, 2);
  const blocks = Math.ceil(PAYLOAD / 16);
  line('AES-CM keystream, createCipheriv per packet', throughput([iv], (v) => createCipheriv('aes-128-ctr', key, v).update(zeros)));
  line('AES-CM keystream, reusable ECB, 1 packet per call', throughput([iv], (v) => ctr.keystream(v, PAYLOAD)));
  line('AES-CM keystream, reusable ECB, 16 per call (used)', 16 * throughput([ivs], (v) => ctr.keystreams(v, 16, blocks)));

  for (const profile of ['AES_CM_128_HMAC_SHA1_80', 'AEAD_AES_128_GCM'] as const) {
    const p = protectRate(profile);
    const u = unprotectRate(profile);
    line(`SRTP protect   ${profile}`, p);
    line(`SRTP unprotect ${profile}`, u);
    // A 20 ms stream sends and receives 50 packets/s each way.
    const streams = 1 / (50 / p + 50 / u);
    process.stdout.write(`${'  => 20 ms streams per core (crypto only, both ways)'.padEnd(52)}${fmtRate(streams)}\n`);
  }
}
