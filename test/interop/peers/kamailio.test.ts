// Smoke tests of the kamailio harness: OPTIONS over UDP/TCP (and ::1), TLS verified against the
// test CA, WS with subprotocol "sip", a sipp REGISTER with digest showing up in ul.dump, restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { WebSocket } from 'ws';
import { removeTempDir, skipUnless } from '../../support/peers/env.js';
import { issueCert, makeTestCa } from '../../support/certs.js';
import { startKamailio } from '../../support/peers/kamailio.js';
import { withTimeout } from '../../support/peers/process.js';
import { runSipp } from '../../support/peers/sipp.js';
import { registerOutboundUac, registerUac } from '../../support/peers/sipp-scenarios.js';
import { buildOptions, optionsTcp, optionsTls, optionsUdp, parseStatus } from '../../support/peers/sip-probe.js';

const skip = skipUnless('kamailio', 'kamcmd', 'openssl');

/** Opens a WebSocket with subprotocol sip; rejects on error, early close or after 5 s. */
function openWs(url: string, opts: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, 'sip', opts);
  return withTimeout(
    new Promise<WebSocket>((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`websocket closed (${code}) before open`)));
    }),
    5000,
    `open ${url}`,
  ).catch((e: unknown) => {
    ws.terminate();
    throw e;
  });
}

/** Every message of `ws` in order; `next()` waits up to 5 s for the next one. */
function wsInbox(ws: WebSocket): { next(): Promise<string> } {
  const inbox: string[] = [];
  const waiters: ((m: string) => void)[] = [];
  ws.on('message', (d) => {
    const w = waiters.shift();
    if (w) w(String(d));
    else inbox.push(String(d));
  });
  return {
    next: () => withTimeout(new Promise<string>((resolve) => (inbox.length ? resolve(inbox.shift()!) : waiters.push(resolve))), 5000, 'websocket message'),
  };
}

test('kamailio answers OPTIONS over UDP and TCP (and ::1), refuses relaying', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const udp = await optionsUdp('127.0.0.1', k.udpPort);
  assert.equal(udp.status, 200);
  assert.match(udp.text, /Allow: INVITE/);
  const tcp = await optionsTcp('127.0.0.1', k.tcpPort);
  assert.equal(tcp.status, 200);
  if (k.ipv6) assert.equal((await optionsUdp('::1', k.udpPort)).status, 200);
  // Loopback only: a request for a foreign domain is not relayed.
  const foreign = await optionsUdp('127.0.0.1', k.udpPort, 5000, 100, 'sip:someone@192.0.2.1');
  assert.equal(foreign.status, 403);
  const unknown = await optionsUdp('127.0.0.1', k.udpPort, 5000, 100, `sip:nobody@${k.domain}`);
  assert.equal(unknown.status, 404);
});

test('TLS listener presents a certificate the test CA verifies', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  assert.ok(k.ca);
  const r = await optionsTls('127.0.0.1', k.tlsPort, { ca: k.ca.certPem, servername: 'localhost' });
  assert.equal(r.authorized, true);
  assert.equal(r.status, 200);
  // Without the CA the same certificate is refused by node's default verification.
  await assert.rejects(optionsTls('127.0.0.1', k.tlsPort, { servername: 'localhost' }), /self[- ]signed|unable to (get|verify)/i);
});

test('WS listener upgrades with subprotocol sip and answers OPTIONS', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const ws = await openWs(`ws://127.0.0.1:${k.wsPort}/`);
  t.after(() => ws.terminate());
  assert.equal(ws.protocol, 'sip');
  const inbox = wsInbox(ws);
  ws.send(buildOptions('127.0.0.1', k.wsPort, 'ws', 0));
  assert.equal(parseStatus(await inbox.next()).status, 200);
});

test('WSS listener upgrades with the test CA', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  assert.ok(k.ca);
  const ws = await openWs(`wss://127.0.0.1:${k.wssPort}/`, { ca: k.ca.certPem });
  t.after(() => ws.terminate());
  const inbox = wsInbox(ws);
  ws.send(buildOptions('127.0.0.1', k.wssPort, 'wss', 0));
  assert.equal(parseStatus(await inbox.next()).status, 200);
});

test('sipp REGISTERs with MD5 digest; ul.dump shows the binding; restart forgets it', { skip: skip || skipUnless('sipp'), timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const alice = k.users[0]!;
  const r = await runSipp({
    t,
    ...registerUac(alice.user, k.domain, 300),
    auth: { user: alice.user, password: alice.password },
    remote: `127.0.0.1:${k.udpPort}`,
    timeoutS: 10,
  });
  assert.equal(r.exitCode, 0, r.errors || r.stdout.slice(-2000));
  const replies = r.messages.filter((m) => m.direction === 'received');
  assert.deepEqual(replies.map((m) => m.firstLine), ['SIP/2.0 401 Unauthorized', 'SIP/2.0 200 OK']);
  assert.match(replies[0]!.text, /WWW-Authenticate: Digest realm="127\.0\.0\.1", nonce="[^"]+", qop="auth", algorithm=MD5/);
  const bindings = await k.dumpUsrloc();
  assert.equal(bindings.length, 1);
  assert.equal(bindings[0]!.aor, alice.user);
  assert.equal(bindings[0]!.contact, `sip:${alice.user}@127.0.0.1:${r.localPort};transport=UDP`);
  assert.ok(bindings[0]!.expires > 250 && bindings[0]!.expires <= 300);

  const wrong = await runSipp({ t, ...registerUac('bob', k.domain), auth: { user: 'bob', password: 'wrong' }, remote: `127.0.0.1:${k.udpPort}`, timeoutS: 5 });
  assert.notEqual(wrong.exitCode, 0);

  await k.restart();
  assert.deepEqual(await k.dumpUsrloc(), []);
  assert.equal((await optionsUdp('127.0.0.1', k.udpPort)).status, 200);
});

test('outbound (RFC 5626) and GRUU REGISTER over TCP: flow bound, Require: outbound, pub-gruu', { skip: skip || skipUnless('sipp'), timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const bob = k.users[1]!;
  const instance = '00000000-0000-1000-8000-000a95a0e128';
  const r = await runSipp({ t, ...registerOutboundUac(bob.user, k.domain, instance), transport: 't1', auth: { user: bob.user, password: bob.password }, remote: `127.0.0.1:${k.tcpPort}`, timeoutS: 10 });
  assert.equal(r.exitCode, 0, r.errors);
  const ok = r.messages.filter((m) => m.direction === 'received').at(-1)!;
  assert.match(ok.text, /Require: outbound/);
  assert.match(ok.text, new RegExp(`pub-gruu="sip:${bob.user}@127\\.0\\.0\\.1;gr=urn:uuid:${instance}"`, 'i'));
  const [b] = await k.dumpUsrloc();
  assert.equal(b!.regId, 1);
  assert.equal(b!.instance.toLowerCase(), `<urn:uuid:${instance}>`);
  assert.match(b!.socket, /^tcp:127\.0\.0\.1:/);
});

test('tlsCert option: kamailio serves an expired and a wrong-host certificate; each refused with its own error', { skip, timeout: 60_000 }, async (t) => {
  const ca = makeTestCa();
  t.after(() => removeTempDir(ca.dir));
  const expired = issueCert(ca, { name: 'expired', commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], expired: true });
  const otherHost = issueCert(ca, { name: 'other', commonName: 'other.invalid', dnsNames: ['other.invalid'] });
  const k1 = await startKamailio({ t, tlsCert: expired, ipv6: false });
  const k2 = await startKamailio({ t, tlsCert: otherHost, ipv6: false });
  assert.equal(k1.ca, undefined);
  await assert.rejects(optionsTls('127.0.0.1', k1.tlsPort, { ca: ca.certPem, servername: 'localhost' }), (e: NodeJS.ErrnoException) => e.code === 'CERT_HAS_EXPIRED');
  await assert.rejects(optionsTls('127.0.0.1', k2.tlsPort, { ca: ca.certPem, servername: 'localhost' }), (e: NodeJS.ErrnoException) => e.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  // The wrong-host certificate is fine for the name it carries.
  const ok = await optionsTls('127.0.0.1', k2.tlsPort, { ca: ca.certPem, servername: 'other.invalid' });
  assert.equal(ok.status, 200);
});

test('REGISTER over WS with MD5 digest (hand-written client): binding on the ws socket, OPTIONS routed back over the connection', { skip, timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t });
  const carol = k.users[2]!;
  const ws = await openWs(`ws://127.0.0.1:${k.wsPort}/`);
  t.after(() => ws.terminate());
  const { next } = wsInbox(ws);
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const ruri = `sip:${k.domain}`;
  const contact = `<sip:${carol.user}@wsclient.invalid;transport=ws>`;
  const register = (cseq: number, auth = '') =>
    `REGISTER ${ruri} SIP/2.0\r\nVia: SIP/2.0/WS wsclient.invalid;branch=z9hG4bK-ws-${cseq}\r\nMax-Forwards: 70\r\n` +
    `From: <sip:${carol.user}@${k.domain}>;tag=wsreg\r\nTo: <sip:${carol.user}@${k.domain}>\r\nCall-ID: ws-reg-1\r\nCSeq: ${cseq} REGISTER\r\n` +
    `Contact: ${contact}\r\nExpires: 300\r\n${auth}Content-Length: 0\r\n\r\n`;
  ws.send(register(1));
  const challenge = await next();
  assert.equal(parseStatus(challenge).status, 401);
  const realm = /realm="([^"]+)"/.exec(challenge)![1]!;
  const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
  const cnonce = 'abc123';
  const ha1 = md5(`${carol.user}:${realm}:${carol.password}`);
  const ha2 = md5(`REGISTER:${ruri}`);
  const response = md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`);
  ws.send(register(2, `Authorization: Digest username="${carol.user}", realm="${realm}", nonce="${nonce}", uri="${ruri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"\r\n`));
  assert.equal(parseStatus(await next()).status, 200);
  const [b] = await k.dumpUsrloc();
  assert.equal(b!.aor, carol.user);
  assert.equal(b!.socket, `tcp:127.0.0.1:${k.wsPort}`); // kamailio names the listener, WS rides on it
  assert.match(b!.received, /transport=ws/i);
  // A request to carol through the proxy arrives on this WebSocket.
  const answered = optionsUdp('127.0.0.1', k.udpPort, 5000, 500, `sip:${carol.user}@${k.domain}`);
  const incoming = await next();
  assert.match(incoming, new RegExp(`^OPTIONS sip:${carol.user}@wsclient\\.invalid;transport=ws SIP/2\\.0`));
  const via = incoming.split('\r\n').filter((l) => /^Via:/i.test(l)).join('\r\n');
  const hdr = (name: string) => incoming.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))!;
  ws.send(`SIP/2.0 200 OK\r\n${via}\r\n${hdr('From')}\r\n${hdr('To')};tag=wsok\r\n${hdr('Call-ID')}\r\n${hdr('CSeq')}\r\nContent-Length: 0\r\n\r\n`);
  assert.equal((await answered).status, 200);
});

test('a named domain (handset.test): REGISTER for it is accepted, the TLS certificate names it', { skip: skip || skipUnless('sipp'), timeout: 60_000 }, async (t) => {
  const k = await startKamailio({ t, domain: 'handset.test', ipv6: false });
  const bob = k.users[1]!;
  const r = await runSipp({ t, ...registerUac(bob.user, 'handset.test'), auth: { user: bob.user, password: bob.password }, remote: `127.0.0.1:${k.udpPort}`, timeoutS: 10 });
  assert.equal(r.exitCode, 0, r.errors);
  assert.match(r.messages.find((m) => m.firstLine.startsWith('SIP/2.0 401'))!.text, /realm="handset\.test"/);
  await k.waitForBinding((b) => b.some((x) => x.aor === bob.user));
  const tls = await optionsTls('127.0.0.1', k.tlsPort, { ca: k.ca!.certPem, servername: 'handset.test' });
  assert.equal(tls.authorized, true);
});
