// Call setup times from a packet capture: tshark on the loopback interface with a capture
// filter on the sipp peer's port, bounded in time, then decoded as SIP. Wire times, so neither
// sipp's ~4 ms timer ticks nor process scheduling of the measuring side shape the figures.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary, makeTempDir, removeTempDir } from '../test/support/peers/env.js';
import { startPeerProcess, type PeerProcess } from '../test/support/peers/process.js';

const run = promisify(execFile);

/** One SIP message seen on the wire. */
export interface SipPacket {
  /** Capture time, ms since the epoch (µs precision). */
  timeMs: number;
  callId: string;
  /** Request method, or undefined for a response. */
  method: string | undefined;
  /** Response status, or undefined for a request. */
  status: number | undefined;
  cseqMethod: string;
}

/** Per call: INVITE → first 200 to it, and that 200 → ACK (ms); calls missing either are left out. */
export interface SetupTimes {
  inviteTo200: number[];
  okToAck: number[];
}

export interface Capture {
  /** Stops the capture (SIGINT, tshark flushes) and returns the SIP messages in it. */
  stop(): Promise<SipPacket[]>;
}

export function tsharkAvailable(): boolean {
  return findBinary('tshark') !== undefined;
}

/** Starts tshark on `lo` for UDP on `ports` (stops by itself after `maxSeconds`); resolves once capturing. */
export async function startCapture(ports: number[], maxSeconds: number): Promise<Capture> {
  const bin = findBinary('tshark');
  if (!bin) throw new Error('tshark not installed');
  const dir = makeTempDir('capture');
  const file = join(dir, 'sip.pcap');
  const filter = ports.map((p) => `udp port ${p}`).join(' or ');
  const proc: PeerProcess = startPeerProcess({
    name: 'tshark',
    command: bin,
    args: ['-i', 'lo', '-f', filter, '-a', `duration:${maxSeconds}`, '-w', file, '-q'],
    cwd: dir,
  });
  await proc.waitForLine(/Capturing on|Capture started/, 10_000);
  // dumpcap reports before its filter is live: without a pause the first call's INVITE went missing.
  await new Promise((r) => setTimeout(r, 500));
  return {
    async stop() {
      if (!proc.hasExited()) {
        // The same the other way: packets of the last moment reach the file only if we wait a little.
        await new Promise((r) => setTimeout(r, 1000));
        proc.child.kill('SIGINT');
        const timer = setTimeout(() => void proc.stop(500), 3000);
        await proc.exited;
        clearTimeout(timer);
      }
      const decode = ports.flatMap((p) => ['-d', `udp.port==${p},sip`]);
      const fields = ['frame.time_epoch', 'sip.Call-ID', 'sip.Method', 'sip.Status-Code', 'sip.CSeq.method'].flatMap((f) => ['-e', f]);
      const { stdout } = await run(bin, ['-r', file, ...decode, '-Y', 'sip', '-T', 'fields', '-E', 'separator=/t', ...fields], { maxBuffer: 256 << 20 });
      removeTempDir(dir);
      return parseFields(stdout);
    },
  };
}

function parseFields(text: string): SipPacket[] {
  const out: SipPacket[] = [];
  for (const line of text.split('\n')) {
    const [time, callId, method, status, cseq] = line.split('\t');
    if (!time || !callId || !cseq) continue;
    // Seconds with nanoseconds: split so the ms value keeps its µs digits.
    const [s, frac = '0'] = time.split('.');
    out.push({
      timeMs: Number(s) * 1000 + Number(`0.${frac}`) * 1000,
      callId,
      method: method || undefined,
      status: status ? Number(status) : undefined,
      cseqMethod: cseq,
    });
  }
  return out;
}

/** Setup times per Call-ID: first INVITE, first 200 for INVITE, first ACK after it. */
export function setupTimes(packets: SipPacket[]): SetupTimes {
  const calls = new Map<string, { invite?: number; ok?: number; ack?: number }>();
  for (const p of packets) {
    let c = calls.get(p.callId);
    if (!c) calls.set(p.callId, (c = {}));
    if (p.method === 'INVITE') c.invite ??= p.timeMs;
    else if (p.status === 200 && p.cseqMethod === 'INVITE') c.ok ??= p.timeMs;
    else if (p.method === 'ACK' && c.ok !== undefined) c.ack ??= p.timeMs;
  }
  const r: SetupTimes = { inviteTo200: [], okToAck: [] };
  for (const c of calls.values()) {
    if (c.invite === undefined || c.ok === undefined) continue;
    r.inviteTo200.push(c.ok - c.invite);
    if (c.ack !== undefined) r.okToAck.push(c.ack - c.ok);
  }
  return r;
}

export const median = (xs: number[]): number => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
