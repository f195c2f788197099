import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage, HeaderId, type SipMessage } from '../../../../src/sip/message/index.js';
import { SipStack } from '../../../../src/sip/ua/index.js';
import { Dialog } from '../../../../src/sip/dialog/index.js';
import type { TransportKind } from '../../../../src/net/index.js';
import { sharedDir } from '../../../support/paths.js';
import { MemoryNetwork, SteppingClock, runFor, type MemoryTransport } from './memory-network.js';
import { expectedFor, rawCallId } from './torture-expectations.js';

/** A reply as the peer sees it: parsed when it parses (a 400 may copy the malformed lines it answers). */
interface Reply {
  status: number;
  raw: string;
  message: SipMessage | undefined;
}

interface Bench {
  net: MemoryNetwork;
  stack: SipStack;
  peer: MemoryTransport;
  inbox: Reply[];
  send(text: string | Buffer, kind?: TransportKind): Promise<Reply[]>;
}

async function bench(): Promise<Bench> {
  const net = new MemoryNetwork(new SteppingClock(0));
  const t = net.transport();
  await t.listen({ transport: 'udp', address: '192.0.2.1', port: 5060 });
  await t.listen({ transport: 'tcp', address: '192.0.2.1', port: 5060 });
  const stack = new SipStack({ transport: t, clock: net.clock, userAgent: 'Handset/test' });
  const peer = net.transport();
  await peer.listen({ transport: 'udp', address: '192.0.2.50', port: 5070 });
  // Torture messages have no rport: their answers go to the sent-by port at the source address.
  await peer.listen({ transport: 'udp', address: '192.0.2.50', port: 5060 });
  const inbox: Reply[] = [];
  peer.onEvent((e) => {
    if (e.kind !== 'message') return;
    const raw = e.bytes.toString('latin1');
    const r = parseMessage(e.bytes, { datagram: true });
    inbox.push({ status: Number(raw.split(' ')[1]), raw, message: r.kind === 'ok' ? r.message : undefined });
  });
  return {
    net, stack, peer, inbox,
    async send(text, kind = 'udp') {
      const before = inbox.length;
      await peer.send({ transport: kind, host: '192.0.2.1', port: 5060 }, Buffer.isBuffer(text) ? text : Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1'));
      await runFor(net, 50);
      return inbox.slice(before);
    },
  };
}

const options = (extra = '', via = 'SIP/2.0/UDP 10.1.1.1:5070;branch=z9hG4bKopt1;rport') =>
  `OPTIONS sip:handset@192.0.2.1 SIP/2.0
Via: ${via}
Max-Forwards: 70
From: <sip:tester@example.com>;tag=t1
To: <sip:handset@192.0.2.1>
Call-ID: opt-1
CSeq: 1 OPTIONS
${extra}Content-Length: 0

`;

test('OPTIONS: 200 with Allow, Accept, Supported; rport answered to the source (RFC 3581 §4)', async () => {
  const b = await bench();
  const res = (await b.send(options()))[0]?.message;
  assert.ok(res);
  assert.equal(res.status, 200);
  assert.equal(res.header(HeaderId.Allow), 'INVITE, ACK, CANCEL, BYE, OPTIONS');
  assert.equal(res.header(HeaderId.Accept), 'application/sdp');
  assert.equal(res.header(HeaderId.Supported), 'outbound, gruu, path');
  assert.equal(res.header(HeaderId.Server), 'Handset/test');
  assert.ok(res.toTag);
  assert.equal(res.header(HeaderId.Via), 'SIP/2.0/UDP 10.1.1.1:5070;branch=z9hG4bKopt1;rport=5070;received=192.0.2.50');
  // It went to the packet's source, not to the (unreachable) sent-by.
  const out = b.net.log.at(-1)!;
  assert.deepEqual([out.to.host, out.to.port], ['192.0.2.50', 5070]);
});

test('request retransmission is absorbed: the same response again, one TU dispatch', async () => {
  const b = await bench();
  let seen = 0;
  b.stack.onRequest(() => (seen++, false));
  const first = await b.send(options());
  const again = await b.send(options());
  assert.equal(first[0]!.status, 200);
  assert.equal(again[0]!.status, 200);
  assert.equal(again[0]!.message!.toTag, first[0]!.message!.toTag);
  assert.equal(b.stack.stats.requestsIn, 2);
});

test('merged request (same From tag, Call-ID, CSeq; other branch) → 482 (§8.2.2.2)', async () => {
  const b = await bench();
  await b.send(options());
  const [res] = await b.send(options('', 'SIP/2.0/UDP 10.1.1.1:5070;branch=z9hG4bKother;rport'));
  assert.equal(res!.status, 482);
  assert.equal(b.stack.stats.loopsDetected, 1);
});

test('Require with unknown option → 420 with Unsupported (§8.2.2.3)', async () => {
  const b = await bench();
  const [res] = await b.send(options('Require: foo, outbound\n'));
  assert.equal(res!.status, 420);
  assert.equal(res!.message!.header(HeaderId.Unsupported), 'foo');
});

test('BYE for an unknown dialog → 481 (§12.2.2)', async () => {
  const b = await bench();
  const [res] = await b.send(
    options().replace(/OPTIONS/g, 'BYE').replace('To: <sip:handset@192.0.2.1>', 'To: <sip:handset@192.0.2.1>;tag=gone'),
  );
  assert.equal(res!.status, 481);
});

test('malformed request → the status the parser names, a Warning with the reason; the stack lives on', async () => {
  const b = await bench();
  const [res] = await b.send(options().replace('Via: SIP/2.0/UDP 10.1.1.1:5070;branch=z9hG4bKopt1;rport', 'Via: SIP/2.0/UDP 10.1.1.1:5070;;,;,,'));
  assert.equal(res!.status, 400);
  assert.match(res!.raw, /^SIP\/2\.0 400 Bad Via Header\r\n/);
  assert.match(res!.raw, /\r\nWarning: 399 handset "Via: [^"]+"\r\n/);
  assert.match(res!.raw, /\r\nTo: <sip:handset@192\.0\.2\.1>;tag=\w+\r\n/);
  assert.match(res!.raw, /\r\nCall-ID: opt-1\r\n/);
  assert.equal(b.stack.stats.malformedRequests, 1);
  const [ok] = await b.send(options());
  assert.equal(ok!.status, 200);
});

test('malformed and foreign responses are dropped and counted', async () => {
  const b = await bench();
  const out = await b.send('SIP/2.0 4294967301 nope\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx\nContent-Length: 0\n\n');
  assert.deepEqual(out, []);
  assert.equal(b.stack.stats.malformedResponses, 1);
  await b.send('SIP/2.0 200 OK\nVia: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bKx\nFrom: <sip:a@b>;tag=1\nTo: <sip:a@b>;tag=2\nCall-ID: x\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n');
  assert.equal(b.stack.stats.strayResponses, 1);
  assert.equal(b.stack.stats.internalErrors, 0);
});

const tortureDir = sharedDir('conformance', 'sip-torture');
const files = readdirSync(tortureDir).filter((f) => f.endsWith('.dat')).sort();

test('RFC 4475: every torture message gets its named handling; OPTIONS still answered', async () => {
  assert.equal(files.length, 50);
  const b = await bench();
  const got: Record<string, number | null> = {};
  for (const f of files) {
    const bytes = readFileSync(join(tortureDir, f));
    const callId = rawCallId(bytes.toString('latin1'));
    // Late retransmissions of earlier INVITE answers (never ACKed here) carry other Call-IDs.
    const replies = (await b.send(bytes)).filter((r) => rawCallId(r.raw) === callId);
    const final = replies.find((r) => r.status >= 200);
    got[f] = final?.status ?? null;
    const want = expectedFor(f, 'udp');
    if (want === null) assert.equal(got[f], null, `${f}: expected no answer, got ${got[f]}`);
    else assert.ok(want.includes(got[f] ?? -1), `${f}: got ${got[f]}, expected one of ${want.join('/')}`);
    const [ping] = await b.send(options().replace('branch=z9hG4bKopt1', `branch=z9hG4bK${f.replace(/\W/g, '')}`).replace('Call-ID: opt-1', `Call-ID: after-${f}`));
    assert.equal(ping?.status, 200, `OPTIONS after ${f}`);
    // Let every server transaction end (Timer J/H/I): several files share branch and sent-by,
    // and within those 32 s the next would be a retransmission of the last (§17.2.3).
    await runFor(b.net, 33_000);
  }
  assert.equal(b.stack.stats.internalErrors, 0);
});

const invite = (method: 'INVITE' | 'CANCEL', branch: string) =>
  `${method} sip:handset@192.0.2.1 SIP/2.0
Via: SIP/2.0/UDP 10.1.1.1:5070;branch=${branch};rport
Max-Forwards: 70
From: <sip:tester@example.com>;tag=inv1
To: <sip:handset@192.0.2.1>
Call-ID: inv-1
CSeq: 7 ${method}
Contact: <sip:tester@10.1.1.1:5070>
Content-Length: 0

`;

test('CANCEL: 481 without a matching INVITE transaction, 200 with one (§9.2)', async () => {
  const b = await bench();
  const lone = await b.send(invite('CANCEL', 'z9hG4bKnone').replace('Call-ID: inv-1', 'Call-ID: inv-0'));
  assert.deepEqual(lone.map((r) => r.status), [481]);
  const inv = await b.send(invite('INVITE', 'z9hG4bKinv7'));
  // 480 at once (no call handling on this bare stack): no 100 Trying before it (§17.2.1).
  assert.deepEqual(inv.map((r) => r.status), [480]);
  const cancel = await b.send(invite('CANCEL', 'z9hG4bKinv7'));
  assert.deepEqual(cancel.map((r) => r.status), [200]);
  assert.equal(cancel[0]!.message!.header(HeaderId.CSeq), '7 CANCEL');
});

test('§17.2.1: a TU that answers later gets the 100 Trying sent first, at once; one answering at once gets none', async () => {
  const b = await bench();
  let slow = true;
  b.stack.onRequest((incoming) => {
    if (incoming.request.method !== 'INVITE') return false;
    if (slow) b.net.clock.setTimer(30, () => b.stack.respond(incoming, 486));
    else b.stack.respond(incoming, 180);
    return true;
  });
  const at: number[] = [];
  b.peer.onEvent((e) => void (e.kind === 'message' && at.push(b.net.clock.now())));
  const late = await b.send(invite('INVITE', 'z9hG4bKslow'));
  assert.deepEqual(late.map((r) => r.status), [100, 486]);
  assert.ok(at[0]! < 5 && at[1]! >= 30, `100 at ${at[0]} ms, 486 at ${at[1]} ms`);
  assert.equal(late[0]!.message!.toTag, undefined);
  slow = false;
  const quick = await b.send(invite('INVITE', 'z9hG4bKquick').replace('Call-ID: inv-1', 'Call-ID: inv-2'));
  assert.deepEqual(quick.map((r) => r.status), [180]);
});

test('a non-2xx to our INVITE is ACKed by the transaction layer with the INVITE\'s branch (§17.1.1.3)', async () => {
  const b = await bench();
  const acks: string[] = [];
  b.peer.onEvent((e) => {
    if (e.kind !== 'message') return;
    const text = e.bytes.toString('latin1');
    if (text.startsWith('INVITE')) {
      const r = parseMessage(e.bytes, { datagram: true });
      assert.equal(r.kind, 'ok');
      const m = (r as { message: SipMessage }).message;
      const via = m.header(HeaderId.Via)!;
      const reply = `SIP/2.0 486 Busy Here\r\nVia: ${via}\r\nFrom: ${m.header(HeaderId.From)}\r\nTo: ${m.header(HeaderId.To)};tag=busy\r\nCall-ID: ${m.callId}\r\nCSeq: ${m.cseq} INVITE\r\nContent-Length: 0\r\n\r\n`;
      void b.peer.send({ transport: 'udp', host: '192.0.2.1', port: 5060 }, Buffer.from(reply));
    } else if (text.startsWith('ACK')) acks.push(text);
  });
  const finals: number[] = [];
  const sent = b.stack.sendRequest(
    {
      method: 'INVITE', uri: 'sip:bob@192.0.2.50:5070',
      headers: [['From', '<sip:alice@example.com>;tag=a1'], ['To', '<sip:bob@example.com>'], ['Call-ID', 'out-1'], ['CSeq', '1 INVITE'], ['Contact', '<sip:alice@192.0.2.1:5060>']],
    },
    { transport: 'udp', host: '192.0.2.50', port: 5070 },
    { response: (r) => finals.push(r.status), failed: () => finals.push(-1) },
  );
  await runFor(b.net, 100);
  assert.deepEqual(finals, [486]);
  assert.equal(acks.length, 1);
  assert.match(acks[0]!, new RegExp(`^ACK sip:bob@192\\.0\\.2\\.50:5070 SIP/2\\.0\\r\\nVia: SIP/2\\.0/UDP 192\\.0\\.2\\.1:5060;branch=${sent.request.branch};rport\\r\\n`));
  assert.match(acks[0]!, /\r\nTo: <sip:bob@example\.com>;tag=busy\r\n/);
  assert.match(acks[0]!, /\r\nCSeq: 1 ACK\r\n/);
});

test('a TU answering 180 then 200 keeps one To tag; the in-dialog BYE reaches it with its dialog', async () => {
  const b = await bench();
  const seen: Array<{ method: string; dialog: boolean }> = [];
  b.stack.onRequest((inc) => {
    seen.push({ method: inc.request.method, dialog: inc.dialog !== undefined });
    if (inc.request.method === 'INVITE') {
      b.stack.respond(inc, 180);
      const d = Dialog.fromUasRequest(inc.request, inc.localTag, 'confirmed')!;
      b.stack.dialogs.add(d);
      b.stack.respond(inc, 200, undefined, [['Contact', '<sip:handset@192.0.2.1:5060>']]);
      return true;
    }
    if (inc.request.method === 'BYE' && inc.dialog) {
      b.stack.respond(inc, 200);
      b.stack.dialogs.remove(inc.dialog);
      return true;
    }
    return false;
  });
  const replies = await b.send(invite('INVITE', 'z9hG4bKdlg1'));
  const tags = replies.filter((r) => r.status >= 180).map((r) => [r.status, r.message!.toTag]);
  assert.equal(tags.length, 2);
  assert.equal(tags[0]![1], tags[1]![1]);
  const bye = invite('INVITE', 'z9hG4bKbye1').replace(/INVITE/g, 'BYE').replace('CSeq: 7 BYE', 'CSeq: 8 BYE').replace('To: <sip:handset@192.0.2.1>', `To: <sip:handset@192.0.2.1>;tag=${tags[0]![1]}`);
  const byeReplies = await b.send(bye);
  assert.deepEqual(byeReplies.map((r) => r.status), [200]);
  assert.deepEqual(seen, [{ method: 'INVITE', dialog: false }, { method: 'BYE', dialog: true }]);
  assert.equal(b.stack.dialogs.size, 0);
  // The dialog is gone: a second BYE gets 481.
  const again = await b.send(bye.replace('z9hG4bKbye1', 'z9hG4bKbye2').replace('CSeq: 8 BYE', 'CSeq: 9 BYE'));
  assert.deepEqual(again.map((r) => r.status), [481]);
});

test('onAck: the ACK for a 2xx reaches the TU with its dialog', async () => {
  const b = await bench();
  const acks: Array<{ cseq: number; dialog: boolean }> = [];
  b.stack.onAck((ack, dialog) => acks.push({ cseq: ack.cseq, dialog: dialog !== undefined }));
  b.stack.onRequest((inc) => {
    if (inc.request.method !== 'INVITE') return false;
    b.stack.dialogs.add(Dialog.fromUasRequest(inc.request, inc.localTag, 'confirmed')!);
    b.stack.respond(inc, 200, undefined, [['Contact', '<sip:handset@192.0.2.1:5060>']]);
    return true;
  });
  const [ok] = (await b.send(invite('INVITE', 'z9hG4bKack1'))).filter((r) => r.status === 200);
  const ack = invite('INVITE', 'z9hG4bKack2').replace(/^INVITE/, 'ACK').replace('CSeq: 7 INVITE', 'CSeq: 7 ACK').replace('To: <sip:handset@192.0.2.1>', `To: <sip:handset@192.0.2.1>;tag=${ok!.message!.toTag}`);
  const replies = await b.send(ack);
  assert.deepEqual(replies, []);
  assert.deepEqual(acks, [{ cseq: 7, dialog: true }]);
});
