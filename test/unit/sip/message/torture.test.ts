// RFC 4475 (50 messages) and RFC 5118 (12 messages) as named cases: every valid message parses
// with its notable fields asserted; every invalid one is refused with a reason and, for a
// request, the response the RFC names. Each is read as one UDP datagram.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import {
  HeaderId, isKnownMethod, parseDatagram, parseMessage, validateMessage, type Malformed, type SipMessage, type SipUri,
} from '../../../../src/sip/message/index.js';

const TORTURE = 'sip-torture';
const IPV6 = 'sip-torture-ipv6';
const bytesOf = (dir: string, name: string): Buffer => readFileSync(sharedDir('conformance', dir, `${name}.dat`));

/** Parses and fully validates a message the RFC says must be accepted. */
function accept(name: string, dir = TORTURE): SipMessage {
  const r = parseDatagram(bytesOf(dir, name));
  assert.equal(r.kind, 'ok', r.kind === 'malformed' ? r.reason : r.kind);
  if (r.kind !== 'ok') throw new Error('unreachable');
  const fault = validateMessage(r.message);
  assert.equal(fault, undefined, fault?.reason);
  return r.message;
}

/** The parse or the full check refuses it, with a reason and the expected response (undefined = drop). */
function refuse(name: string, status: number | undefined, reason: RegExp, dir = TORTURE): Malformed {
  const r = parseDatagram(bytesOf(dir, name));
  const fault = r.kind === 'ok' ? validateMessage(r.message) : r;
  assert.ok(fault !== undefined && fault.kind === 'malformed', `${name} was accepted`);
  if (fault.kind !== 'malformed') throw new Error('unreachable');
  assert.match(fault.reason, reason);
  assert.equal(fault.response?.status, status);
  if (status !== undefined) assert.ok(fault.response!.reason.length > 0);
  return fault;
}

const sip = (m: { uri: unknown }): SipUri => m.uri as SipUri;

const cases: Record<string, () => void> = {
  // 3.1.1 valid messages
  wsinv() {
    const m = accept('wsinv');
    assert.equal(m.method, 'INVITE');
    assert.equal(m.requestUriText, 'sip:vivekg@chair-dnrc.example.com;unknownparam');
    assert.equal(m.toTag, '1918181833n');
    assert.equal(m.fromTag, '98asjd8');
    assert.equal(m.get(HeaderId.From)!.displayName, 'J Rosenberg \\"');
    assert.equal(m.get(HeaderId.MaxForwards), 68);
    assert.deepEqual([m.cseq, m.method], [9, 'INVITE']);
    assert.deepEqual(m.get(HeaderId.Via)!.map((v) => [v.transport, v.host, v.branch]), [
      ['UDP', '192.0.2.2', '390skdjuw'], ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'], ['UDP', '192.168.255.111', 'z9hG4bK30239']]);
    assert.equal(m.header(HeaderId.Subject), '');
    assert.equal(m.header('NewFangledHeader'), 'newfangled value continued newfangled value');
    assert.equal(m.header('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    const route = m.get(HeaderId.Route)!;
    assert.deepEqual(sip(route[0]!).params.map((p) => p.name), ['lr', 'unknownwith', 'unknown-no-value']);
    const contact = m.get(HeaderId.Contact)!.contacts[0]!;
    assert.equal(contact.displayName, 'Quoted string ""');
    assert.equal(contact.q, 0.33);
    assert.equal(contact.params.get('newparam'), 'newvalue');
    assert.equal(contact.params.get('secondparam'), '');
    assert.equal(m.get(HeaderId.ContentType)!.subtype, 'sdp');
    assert.equal(m.body.length, 150);
  },
  intmeth() {
    const m = accept('intmeth');
    assert.equal(m.method, "!interesting-Method0123456789_*+`.%indeed'~");
    assert.equal(isKnownMethod(m.method), false); // an endpoint answers 501
    assert.equal(m.branch, "z9hG4bK-.!%66*_+`'~");
    assert.equal(m.get(HeaderId.To)!.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = m.get(HeaderId.From)!;
    assert.equal(from.displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(from.params.get("fromparam''~+*_!.-%"), 'работающий');
    assert.equal(m.fromTag, "_token~1'+`*%!-.");
    assert.equal(m.callId, 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    assert.equal(m.get(HeaderId.MaxForwards), 255);
    assert.equal(m.header("extensionHeader-!.%*+_`'~"), '\uFEFF大停電');
    assert.equal(sip({ uri: m.requestUri }).user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  },
  esc01() {
    const m = accept('esc01');
    assert.equal(sip({ uri: m.requestUri }).user, 'sips:user@example.com');
    assert.equal(sip(m.get(HeaderId.To)!).user, 'user');
    assert.equal(sip(m.get(HeaderId.From)!).user, 'I have spaces');
    const c = sip(m.get(HeaderId.Contact)!.contacts[0]!);
    assert.equal(c.user, 'caller');
    assert.deepEqual(c.params, [{ name: 'lr', value: null }, { name: 'name', value: 'value%41' }]);
  },
  escnull() {
    const m = accept('escnull');
    assert.equal(sip(m.get(HeaderId.To)!).user, 'null-\x00-null');
    assert.deepEqual(m.get(HeaderId.Contact)!.contacts.map((c) => sip(c).user), ['\x00', '\x00\x00']);
  },
  esc02() {
    const m = accept('esc02');
    assert.equal(m.method, 'RE%47IST%45R');
    assert.equal(isKnownMethod(m.method), false); // not REGISTER: an endpoint answers 501
    assert.equal(m.get(HeaderId.To)!.displayName, '%Z%45');
    assert.equal(m.get(HeaderId.Contact)!.contacts.length, 2);
    assert.equal(m.header('C%6Fntact'), '<sip:alias2@host2.example.com>');
  },
  lwsdisp() {
    const m = accept('lwsdisp');
    assert.equal(m.get(HeaderId.From)!.displayName, 'caller');
    assert.equal(m.fromTag, '323');
  },
  longreq() {
    const m = accept('longreq');
    assert.equal(m.get(HeaderId.Via)!.length, 34);
    assert.match(m.get(HeaderId.To)!.displayName!, /^I have a user name of (extreme){10} proportion$/);
    assert.equal(m.fromTag!.length > 100, true);
    assert.equal(m.callId.length > 100, true);
    assert.equal(m.get(HeaderId.Via)![33]!.host, 'host.example.com');
    assert.equal(m.body.length, 150);
  },
  dblreq() {
    const r = parseDatagram(bytesOf(TORTURE, 'dblreq'));
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.equal(r.message.method, 'REGISTER');
    assert.equal(r.message.body.length, 0);
    assert.ok(r.length < bytesOf(TORTURE, 'dblreq').length); // the INVITE-like tail is ignored
  },
  semiuri() {
    const m = accept('semiuri');
    assert.equal(sip({ uri: m.requestUri }).user, 'user;par=u@example.net');
    assert.equal(m.get(HeaderId.Accept)!.length, 6);
  },
  transports() {
    const m = accept('transports');
    assert.deepEqual(m.get(HeaderId.Via)!.map((v) => v.transport), ['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  },
  mpart01() {
    const m = accept('mpart01');
    assert.equal(m.body.length, 553);
    assert.equal(m.get(HeaderId.ContentType)!.params.get('boundary'), '7a9cbec02ceef655');
    assert.equal(m.body.includes(0), true);
  },
  unreason() {
    const m = accept('unreason');
    assert.equal(m.status, 200);
    assert.equal(m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
  },
  noreason() {
    const m = accept('noreason');
    assert.equal(m.status, 100);
    assert.equal(m.reason, '');
  },
  // 3.1.2 invalid messages
  badinv01: () => refuse('badinv01', 400, /Via: empty parameter/),
  clerr: () => refuse('clerr', 400, /Content-Length 9999 larger than the message/),
  ncl: () => refuse('ncl', 400, /Content-Length/),
  scalar02: () => refuse('scalar02', 400, /CSeq: sequence number larger than 2\^32-1/),
  scalarlg: () => refuse('scalarlg', undefined, /CSeq/),
  quotbal: () => refuse('quotbal', 400, /To: unterminated quoted display name/),
  ltgtruri: () => refuse('ltgtruri', 400, /Request-URI enclosed in "<>"/),
  lwsruri: () => refuse('lwsruri', 400, /whitespace inside the Request-URI/),
  lwsstart: () => refuse('lwsstart', 400, /extra whitespace in Request-Line/),
  trws: () => refuse('trws', 400, /trailing whitespace in Request-Line/),
  escruri: () => refuse('escruri', 400, /Request-URI carries escaped headers/),
  baddate: () => refuse('baddate', 400, /Date: time zone must be GMT/),
  regbadct() {
    const f = refuse('regbadct', 400, /Contact: URI with "\?" must be enclosed in <>$/);
    assert.equal(f.offset, bytesOf(TORTURE, 'regbadct').indexOf('?Route')); // where the fault is
  },
  badaspec: () => refuse('badaspec', 400, /To: whitespace inside <uri>/),
  baddn() {
    // Decision (see README): over UDP the datagram end also ends a header section that lacks
    // its empty line, so the display-name fault RFC 4475 §3.1.2.15 is about is what we report.
    refuse('baddn', 400, /From: display name must be a token list or a quoted string/);
    // On a stream the From fault is found before the (missing) end of the header section.
    const r = parseMessage(bytesOf(TORTURE, 'baddn'));
    assert.equal(r.kind === 'malformed' && r.reason.startsWith('From:'), true);
    // With the empty line supplied, the same fault.
    const whole = parseDatagram(Buffer.concat([bytesOf(TORTURE, 'baddn'), Buffer.from('\r\n')]));
    assert.equal(whole.kind === 'malformed' && whole.response?.status, 400);
  },
  badvers: () => refuse('badvers', 505, /unsupported SIP-Version/),
  mismatch01: () => refuse('mismatch01', 400, /CSeq method "INVITE" does not match/),
  mismatch02: () => refuse('mismatch02', 501, /CSeq method "INVITE" does not match/),
  bigcode: () => refuse('bigcode', undefined, /Status-Code must be 3 digits/),
  // 3.2 transaction identifier
  badbranch() {
    const m = accept('badbranch');
    assert.equal(m.branch, 'z9hG4bK'); // the cookie alone: the transaction layer falls back (RFC 2543)
  },
  // 3.3 application-layer semantics
  insuf: () => refuse('insuf', 400, /missing From header/),
  unkscm() {
    const f = refuse('unkscm', 416, /unsupported Request-URI scheme "nobodyKnowsThisScheme"/);
    assert.equal(f.response!.reason, 'Unsupported URI Scheme');
    const m = parseDatagram(bytesOf(TORTURE, 'unkscm'));
    assert.equal(m.kind, 'ok'); // the parser itself accepts it
  },
  novelsc: () => refuse('novelsc', 416, /"soap\.beep"/),
  unksm2() {
    const m = accept('unksm2');
    assert.equal(m.get(HeaderId.To)!.uri.scheme, 'isbn');
    assert.equal(m.get(HeaderId.From)!.uri.scheme, 'http');
    assert.equal(m.get(HeaderId.Contact)!.contacts[0]!.uri.scheme, 'name');
  },
  bext01() {
    const m = accept('bext01');
    assert.deepEqual(m.get(HeaderId.Require), ['nothingSupportsThis', 'nothingSupportsThisEither']);
    assert.deepEqual(m.get(HeaderId.ProxyRequire), ['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
  },
  invut() {
    const m = accept('invut');
    assert.deepEqual([m.get(HeaderId.ContentType)!.type, m.get(HeaderId.ContentType)!.subtype], ['application', 'unknownformat']);
    assert.equal(m.body.length, 40);
  },
  regaut01() {
    const m = accept('regaut01');
    const a = m.get(HeaderId.Authorization)![0]!;
    assert.equal(a.scheme, 'NoOneKnowsThisScheme');
    assert.equal(a.params.get('opaque-data'), 'here');
  },
  multi01: () => refuse('multi01', 400, /more than one header line/),
  mcl01: () => refuse('mcl01', 400, /Content-Length: more than one header line/),
  bcast() {
    const m = accept('bcast');
    assert.equal(m.get(HeaderId.Via)![1]!.host, '255.255.255.255');
  },
  zeromf() {
    const m = accept('zeromf');
    assert.equal(m.get(HeaderId.MaxForwards), 0);
  },
  cparam01() {
    const c = accept('cparam01').get(HeaderId.Contact)!.contacts[0]!;
    assert.equal(c.params.has('unknownparam'), true);
    assert.deepEqual(sip(c).params, []);
  },
  cparam02() {
    const c = accept('cparam02').get(HeaderId.Contact)!.contacts[0]!;
    assert.equal(c.params.size, 0);
    assert.deepEqual(sip(c).params, [{ name: 'unknownparam', value: null }]);
  },
  regescrt() {
    const c = accept('regescrt').get(HeaderId.Contact)!.contacts[0]!;
    assert.deepEqual(sip(c).headers, [{ name: 'Route', value: '<sip:sip.example.com>' }]);
  },
  sdp01() {
    const m = accept('sdp01');
    assert.deepEqual(m.get(HeaderId.Accept)!.map((a) => `${a.type}/${a.subtype}`), ['text/nobodyknowsthis']);
  },
  // 3.4 backward compatibility
  inv2543() {
    const m = accept('inv2543');
    assert.equal(m.branch, undefined);
    assert.equal(m.fromTag, undefined);
    assert.equal(m.has(HeaderId.ContentLength), false);
    assert.equal(m.body.length, bytesOf(TORTURE, 'inv2543').length - m.bodyStart); // rest of the datagram
  },
  test() {
    // In the archive but in no section of RFC 4475: no version in the request line.
    refuse('test', 400, /Request-URI or SIP-Version/);
  },
};

const ipv6: Record<string, () => void> = {
  'ipv6-good'() {
    const m = accept('ipv6-good', IPV6);
    assert.equal(sip({ uri: m.requestUri }).host, '[2001:db8::10]');
    assert.equal(m.viaHost, '[2001:db8::9:1]');
    assert.equal(sip(m.get(HeaderId.Contact)!.contacts[0]!).host, '[2001:db8::1]');
  },
  'ipv6-bad': () => void refuse('ipv6-bad', 400, /Request-URI/, IPV6),
  'port-ambiguous'() {
    const u = sip({ uri: accept('port-ambiguous', IPV6).requestUri });
    assert.deepEqual([u.host, u.port], ['[2001:db8::10:5070]', undefined]);
  },
  'port-unambiguous'() {
    const u = sip({ uri: accept('port-unambiguous', IPV6).requestUri });
    assert.deepEqual([u.host, u.port], ['[2001:db8::10]', 5070]);
  },
  'via-received-param-with-delim'() {
    assert.equal(accept('via-received-param-with-delim', IPV6).topVia!.received, '[2001:db8::9:255]');
  },
  'via-received-param-no-delim'() {
    assert.equal(accept('via-received-param-no-delim', IPV6).topVia!.received, '2001:db8::9:255');
  },
  'ipv6-in-sdp'() {
    assert.match(accept('ipv6-in-sdp', IPV6).body.toString(), /c=IN IP6 2001:db8::20/);
  },
  'mult-ip-in-header'() {
    const vias = accept('mult-ip-in-header', IPV6).get(HeaderId.Via)!;
    assert.deepEqual(vias.map((v) => [v.host, v.port, v.received]), [
      ['[2001:db8::9:1]', 6050, undefined], ['192.0.2.1', undefined, undefined], ['[2001:db8::9:255]', undefined, '192.0.2.200']]);
  },
  'mult-ip-in-sdp'() {
    assert.match(accept('mult-ip-in-sdp', IPV6).body.toString(), /c=IN IP6 2001:db8::1/);
  },
  'ipv4-mapped-ipv6'() {
    const m = accept('ipv4-mapped-ipv6', IPV6);
    assert.deepEqual([m.viaHost, m.viaPort], ['[::ffff:192.0.2.10]', 19823]);
    assert.equal(sip(m.get(HeaderId.Contact)!.contacts[0]!).host, '[::ffff:192.0.2.2]');
  },
  'ipv6-bug-abnf-3-colons'() {
    assert.equal(sip({ uri: accept('ipv6-bug-abnf-3-colons', IPV6).requestUri }).user, 'user');
  },
  'ipv6-correct-abnf-2-colons'() {
    assert.equal(sip({ uri: accept('ipv6-correct-abnf-2-colons', IPV6).requestUri }).host, '[2001:db8::192.0.2.1]');
  },
};

for (const [dir, table] of [[TORTURE, cases], [IPV6, ipv6]] as const) {
  test(`${dir}: every .dat file has a named case (none skipped)`, () => {
    const files = readdirSync(sharedDir('conformance', dir)).filter((f) => f.endsWith('.dat')).map((f) => f.slice(0, -4)).sort();
    assert.deepEqual(files, Object.keys(table).sort());
    assert.equal(files.length, dir === TORTURE ? 50 : 12);
  });
  for (const [name, run] of Object.entries(table)) test(`${dir}/${name}.dat`, run);
}
