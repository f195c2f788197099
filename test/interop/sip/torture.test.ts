// Each RFC 4475 torture message sent over real UDP and TCP sockets to a running Handset gets the
// handling the conformance README names (see test/unit/sip/ua/torture-expectations.ts), and
// Handset still answers OPTIONS afterwards. Torture messages carry no rport, so UDP answers go
// to port 5060 of the source address (RFC 3261 §18.2.2): the probe listens there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { connect } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../support/paths.js';
import { expectedFor, rawCallId } from '../../unit/sip/ua/torture-expectations.js';
import { startHandset, type HandsetUnderTest } from './handset-under-test.js';

const dir = sharedDir('conformance', 'sip-torture');
const files = readdirSync(dir).filter((f) => f.endsWith('.dat')).sort();
const statuses = (text: string): number[] => [...text.matchAll(/^SIP\/2\.0 (\d{3}) /gm)].map((m) => Number(m[1]));
const finalOf = (text: string): number | null => statuses(text).find((s) => s >= 200) ?? null;

function options(transport: 'UDP' | 'TCP', port: number, n: number): Buffer {
  return Buffer.from(
    [`OPTIONS sip:handset@127.0.0.1 SIP/2.0`, `Via: SIP/2.0/${transport} 127.0.0.1:${port};branch=z9hG4bKprobe${transport}${n};rport`, 'Max-Forwards: 70',
      'From: <sip:probe@127.0.0.1>;tag=p1', 'To: <sip:handset@127.0.0.1>', `Call-ID: probe-${transport}-${n}`, `CSeq: ${n} OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n'),
  );
}

function bindUdp(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(undefined));
    s.bind(port, '127.0.0.1', () => resolve(s));
  });
}

describe('RFC 4475 torture messages against a running Handset', () => {
  let h: HandsetUnderTest;
  let probe: Socket | undefined;
  const inbox: string[] = [];
  before(async () => {
    h = await startHandset(['udp', 'tcp']);
    probe = await bindUdp(5060);
    probe?.on('message', (m) => inbox.push(m.toString('latin1')));
  });
  after(async () => {
    probe?.close();
    await h.close();
  });

  /** Sends one datagram; returns the answers with its Call-ID that came within `waitMs`. */
  async function udpExchange(bytes: Buffer, waitMs = 150): Promise<string> {
    const from = inbox.length;
    const callId = rawCallId(bytes.toString('latin1'));
    probe!.send(bytes, h.udpPort, '127.0.0.1');
    await new Promise((r) => setTimeout(r, waitMs));
    return inbox.slice(from).filter((m) => rawCallId(m) === callId).join('');
  }

  test('over UDP', async (t) => {
    if (probe === undefined) return t.skip('127.0.0.1:5060 is busy: torture answers (no rport) cannot be received');
    let n = 0;
    for (const f of files) {
      // Several files share branch and sent-by (cparam01/02 ...): within Timer J (32 s) the second
      // is a retransmission of the first (RFC 3261 §17.2.3). A fresh Handset per file keeps them apart.
      await h.close();
      h = await startHandset(['udp', 'tcp']);
      const got = finalOf(await udpExchange(readFileSync(join(dir, f))));
      const want = expectedFor(f, 'udp');
      if (want === null) assert.equal(got, null, `${f}: expected no answer, got ${got}`);
      else assert.ok(got !== null && want.includes(got), `${f}: got ${got}, expected ${want.join('/')}`);
      assert.equal(finalOf(await udpExchange(options('UDP', 5060, ++n))), 200, `OPTIONS after ${f}`);
      assert.equal(h.stack.stats.internalErrors, 0);
    }
  });

  test('over TCP (one connection per message; framing faults close it)', async () => {
    // A fresh Handset: the UDP run's server transactions would absorb these as retransmissions.
    await h.close();
    h = await startHandset(['udp', 'tcp']);
    let n = 0;
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      const r = await new Promise<{ text: string; closed: boolean }>((resolve) => {
        const s = connect(h.tcpPort, '127.0.0.1');
        let text = '';
        let closed = false;
        s.on('data', (d) => (text += d.toString('latin1')));
        s.on('close', () => (closed = true));
        s.on('error', () => (closed = true));
        s.on('connect', () => s.write(bytes));
        setTimeout(() => {
          s.destroy();
          resolve({ text, closed });
        }, 250);
      });
      const want = expectedFor(f, 'tcp');
      const got = finalOf(r.text);
      if (want === null) assert.equal(got, null, `${f}: expected no answer over TCP, got ${got}`);
      else assert.ok(got !== null && want.includes(got), `${f}: got ${got} over TCP, expected ${want.join('/')}`);
      // RFC 4475 §3.1.2.3, §3.3.9: the framing is lost, the connection must go.
      if (f === 'ncl.dat' || f === 'mcl01.dat') assert.equal(r.closed, true, `${f}: connection not closed`);
      const ok = await new Promise<string>((resolve) => {
        const s = connect(h.tcpPort, '127.0.0.1', () => s.write(options('TCP', 0, ++n)));
        let text = '';
        s.on('data', (d) => {
          text += d.toString('latin1');
          if (finalOf(text) !== null) {
            s.destroy();
            resolve(text);
          }
        });
        s.on('error', () => resolve(text));
        setTimeout(() => {
          s.destroy();
          resolve(text);
        }, 2000);
      });
      assert.equal(finalOf(ok), 200, `OPTIONS over TCP after ${f}`);
    }
    assert.equal(h.stack.stats.internalErrors, 0);
  });

  test('a TCP stream whose header block passes the size cap is closed; OPTIONS still answered', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const s = connect(h.tcpPort, '127.0.0.1', () => {
        s.write(`OPTIONS sip:handset@127.0.0.1 SIP/2.0\r\n`);
        const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
        for (let i = 0; i < 80; i++) s.write(line);
      });
      s.on('error', () => undefined);
      s.on('close', () => resolve(true));
      setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 3000);
    });
    assert.equal(closed, true);
    const ok = await new Promise<string>((resolve) => {
      const s = connect(h.tcpPort, '127.0.0.1', () => s.write(options('TCP', 0, 999)));
      let text = '';
      s.on('data', (d) => {
        text += d.toString('latin1');
        if (finalOf(text) !== null) {
          s.destroy();
          resolve(text);
        }
      });
      s.on('error', () => resolve(text));
    });
    assert.equal(finalOf(ok), 200);
  });
});
