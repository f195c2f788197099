import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createHash } from 'node:crypto';
import { parseMessage, type SipMessage } from '../../../../src/sip/message/index.js';
import { DigestClient, computeDigest, digestChallengesOf, digestRequestOf, parseAuthHeader, type AuthChallenge, type DigestHeader } from '../../../../src/sip/auth/index.js';

const password = 'Sup3r-Secret!pw';
const realm = 'example.com';
const createHashHex = (alg: string, s: string): string => createHash(alg).update(s).digest('hex');
const request = { method: 'REGISTER', uri: 'sip:example.com' };

/** A random source yielding 0x00.., 0x01.., ... so cnonces are predictable and distinct. */
function counterRandom(): (n: number) => Buffer {
  let k = 0;
  return (n) => Buffer.alloc(n, k++);
}
const client = (extra: Partial<ConstructorParameters<typeof DigestClient>[0]> = {}): DigestClient =>
  new DigestClient({ credentials: { username: 'alice', password, realm }, random: counterRandom(), ...extra });

const ch = (params: Record<string, string>): AuthChallenge => ({ scheme: 'Digest', params: { realm, ...params } });
const params = (h: DigestHeader): Record<string, string> => {
  const r = parseAuthHeader(h.value);
  assert.ok(r.ok);
  return r.value[0]!.params;
};
function expectedResponse(p: Record<string, string>, algorithm: Parameters<typeof computeDigest>[0]['algorithm'] = 'MD5'): string {
  return computeDigest({
    algorithm,
    username: 'alice',
    realm,
    password,
    method: request.method,
    uri: request.uri,
    nonce: p.nonce!,
    ...(p.qop ? { qop: p.qop as 'auth', nc: p.nc!, cnonce: p.cnonce! } : {}),
  }).response;
}

test('answers a 401 with Authorization, counting nc per nonce', () => {
  const c = client();
  const r = c.answer({ wwwAuthenticate: [ch({ nonce: 'n1', qop: 'auth', opaque: 'op' })] }, request);
  assert.ok(r.ok);
  const [h] = r.value.headers;
  assert.equal(h!.name, 'Authorization');
  const p = params(h!);
  assert.deepEqual(
    { ...p, response: undefined },
    { username: 'alice', realm, nonce: 'n1', uri: 'sip:example.com', response: undefined, cnonce: '00'.repeat(16), opaque: 'op', qop: 'auth', nc: '00000001' },
  );
  assert.equal(p.response, expectedResponse(p));
  // The next request reuses the nonce: nc 2, fresh cnonce.
  const next = c.authorize(request, realm);
  assert.ok(next);
  const p2 = params(next);
  assert.equal(p2.nc, '00000002');
  assert.equal(p2.cnonce, '01'.repeat(16));
  assert.equal(p2.response, expectedResponse(p2));
  // A new nonce restarts the count.
  const r3 = c.answer({ wwwAuthenticate: [ch({ nonce: 'n2', qop: 'auth' })] }, request);
  assert.ok(r3.ok);
  assert.equal(params(r3.value.headers[0]!).nc, '00000001');
  assert.equal(params(r3.value.headers[0]!).nonce, 'n2');
});

test('407 is answered with Proxy-Authorization; no cached nonce means no pre-emptive header', () => {
  const c = client();
  assert.equal(c.authorize(request, realm), undefined);
  const r = c.answer({ proxyAuthenticate: [ch({ nonce: 'p1' })] }, request);
  assert.ok(r.ok);
  assert.equal(r.value.headers[0]!.name, 'Proxy-Authorization');
  const p = params(r.value.headers[0]!);
  // RFC 2617 compatibility: no qop → no nc/cnonce.
  assert.equal(p.nc, undefined);
  assert.equal(p.cnonce, undefined);
  assert.equal(p.response, expectedResponse(p));
});

test('several challenges: the strongest supported algorithm wins', () => {
  const c = client();
  const r = c.answer(
    {
      wwwAuthenticate: [
        ch({ nonce: 'a', algorithm: 'MD5', qop: 'auth' }),
        ch({ nonce: 'b', algorithm: 'SHA-512-256', qop: 'auth' }),
        ch({ nonce: 'c', algorithm: 'SHA-256', qop: 'auth' }),
        ch({ nonce: 'd', algorithm: 'SHA-3-fancy', qop: 'auth' }),
      ],
    },
    request,
  );
  assert.ok(r.ok);
  assert.equal(r.value.headers.length, 1);
  const p = params(r.value.headers[0]!);
  assert.equal(p.algorithm, 'SHA-512-256');
  assert.equal(p.nonce, 'b');
  assert.equal(p.response, expectedResponse(p, 'SHA-512-256'));
});

test('algorithm names are matched case-insensitively; unknown algorithm alone is refused', () => {
  const r = client().answer({ wwwAuthenticate: [ch({ nonce: 'a', algorithm: 'sha-256' })] }, request);
  assert.ok(r.ok);
  assert.equal(params(r.value.headers[0]!).algorithm, 'SHA-256');
  const bad = client().answer({ wwwAuthenticate: [ch({ nonce: 'a', algorithm: 'SHA-1' })] }, request);
  assert.deepEqual(bad, { ok: false, error: { refused: 'unsupported-algorithm', algorithm: 'SHA-1' } });
  const basic = client().answer({ wwwAuthenticate: [{ scheme: 'Basic', params: { realm } }] }, request);
  assert.deepEqual(basic, { ok: false, error: { refused: 'unsupported-scheme', scheme: 'Basic' } });
  const qop = client().answer({ wwwAuthenticate: [ch({ nonce: 'a', qop: 'auth-conf' })] }, request);
  assert.deepEqual(qop, { ok: false, error: { refused: 'unsupported-qop', qop: 'auth-conf' } });
  assert.deepEqual(client().answer({}, request), { ok: false, error: { refused: 'no-challenge' } });
  assert.deepEqual(client().answer({ wwwAuthenticate: [{ scheme: 'Digest', params: { realm } }] }, request), {
    ok: false,
    error: { refused: 'malformed-challenge', reason: 'nonce missing' },
  });
});

test('a challenge from a realm not configured is refused, nothing is sent', () => {
  const c = client();
  const r = c.answer({ wwwAuthenticate: [{ scheme: 'Digest', params: { realm: 'evil.example', nonce: 'x' } }] }, { method: 'BYE', uri: 'sip:x@evil.example' });
  assert.deepEqual(r, { ok: false, error: { refused: 'realm-not-configured', realm: 'evil.example' } });
  assert.equal(c.authorize(request, 'evil.example'), undefined);
});

test('only configured realms are answered when a forked response carries several', () => {
  const c = client({ realms: ['proxy.example.com'] });
  const r = c.answer(
    {
      proxyAuthenticate: [{ scheme: 'Digest', params: { realm: 'proxy.example.com', nonce: 'p' } }, { scheme: 'Digest', params: { realm: 'other.net', nonce: 'o' } }],
      wwwAuthenticate: [ch({ nonce: 'w' })],
    },
    request,
  );
  assert.ok(r.ok);
  assert.deepEqual(
    r.value.headers.map((h) => [h.name, h.realm]),
    [
      ['Authorization', realm],
      ['Proxy-Authorization', 'proxy.example.com'],
    ],
  );
  assert.deepEqual(r.value.attempt, { realms: [realm, 'proxy.example.com'], staleRealms: [] });
});

test('stale=true is answered again without asking; a second plain challenge means rejected credentials', () => {
  const c = client();
  const first = c.answer({ wwwAuthenticate: [ch({ nonce: 'n1', qop: 'auth' })] }, request);
  assert.ok(first.ok);
  const stale = c.answer({ wwwAuthenticate: [ch({ nonce: 'n2', qop: 'auth', stale: 'TRUE' })] }, request, first.value.attempt);
  assert.ok(stale.ok);
  const p = params(stale.value.headers[0]!);
  assert.equal(p.nonce, 'n2');
  assert.equal(p.nc, '00000001');
  const again = c.answer({ wwwAuthenticate: [ch({ nonce: 'n3', qop: 'auth' })] }, request, stale.value.attempt);
  assert.deepEqual(again, { ok: false, error: { refused: 'credentials-rejected', realm } });
  // A server answering stale=true forever gets one silent retry per request, not a loop.
  const staleAgain = c.answer({ wwwAuthenticate: [ch({ nonce: 'n4', qop: 'auth', stale: 'true' })] }, request, stale.value.attempt);
  assert.deepEqual(staleAgain, { ok: false, error: { refused: 'credentials-rejected', realm } });
});

test('-sess keeps its cnonce (and session key) for the nonce; auth-int used when preferred or alone', () => {
  const c = client();
  const r = c.answer({ wwwAuthenticate: [ch({ nonce: 's', algorithm: 'MD5-sess', qop: 'auth' })] }, request);
  assert.ok(r.ok);
  const p1 = params(r.value.headers[0]!);
  const p2 = params(c.authorize(request, realm)!);
  assert.equal(p1.cnonce, p2.cnonce);
  assert.equal(p2.nc, '00000002');
  const sess = (p: Record<string, string>): string =>
    computeDigest({ algorithm: 'MD5-sess', username: 'alice', realm, password, method: 'REGISTER', uri: 'sip:example.com', nonce: 's', qop: 'auth', nc: p.nc!, cnonce: p.cnonce! }).response;
  assert.equal(p1.response, sess(p1));
  assert.equal(p2.response, sess(p2));

  const body = Buffer.from('v=0\r\n');
  const invite = { method: 'INVITE', uri: 'sip:bob@example.com', body };
  const alone = client().answer({ wwwAuthenticate: [ch({ nonce: 'i', qop: 'auth-int' })] }, invite);
  assert.ok(alone.ok);
  const pa = params(alone.value.headers[0]!);
  assert.equal(pa.qop, 'auth-int');
  assert.equal(pa.response, computeDigest({ algorithm: 'MD5', username: 'alice', realm, password, ...invite, nonce: 'i', qop: 'auth-int', nc: pa.nc!, cnonce: pa.cnonce! }).response);
  const both = ch({ nonce: 'i', qop: 'auth,auth-int' });
  assert.ok(client().answer({ wwwAuthenticate: [both] }, invite).ok);
  const plain = client().answer({ wwwAuthenticate: [both] }, invite);
  const preferred = client({ preferAuthInt: true }).answer({ wwwAuthenticate: [both] }, invite);
  assert.ok(plain.ok && preferred.ok);
  assert.equal(params(plain.value.headers[0]!).qop, 'auth');
  assert.equal(params(preferred.value.headers[0]!).qop, 'auth-int');
});

test('userhash=true sends H(username:realm) and userhash=true', () => {
  const r = client().answer({ wwwAuthenticate: [ch({ nonce: 'u', algorithm: 'SHA-256', qop: 'auth', userhash: 'true' })] }, request);
  assert.ok(r.ok);
  const p = params(r.value.headers[0]!);
  assert.equal(p.userhash, 'true');
  // Independent of the code under test: plain SHA-256 of "alice:example.com".
  assert.equal(p.username, createHashHex('sha256', `alice:${realm}`));
});

test('the password never shows in JSON, inspect, toString, answers or refusals', () => {
  const c = client({ realms: ['proxy.example.com'] });
  const r = c.answer({ wwwAuthenticate: [ch({ nonce: 'n', algorithm: 'MD5-sess', qop: 'auth' })] }, request);
  const refusal = c.answer({ wwwAuthenticate: [{ scheme: 'Digest', params: { realm: 'evil', nonce: 'x' } }] }, request);
  const ha1 = createHashHex('md5', `alice:${realm}:${password}`);
  for (const shown of [JSON.stringify(c), inspect(c, { showHidden: true, depth: 10 }), String(c), `${c}`, JSON.stringify(r), inspect(r, { depth: 10 }), JSON.stringify(refusal)]) {
    assert.ok(!shown.includes(password), shown);
    assert.ok(!shown.includes(ha1), shown);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(c)), { username: 'alice', realms: ['proxy.example.com', realm] });
  assert.throws(() => new DigestClient({ credentials: { username: 'a', password: 'b' } }), /realm/);
});

test("the message layer's AuthValue shape (params as a Map) is answered the same", () => {
  const asRecord = client().answer({ wwwAuthenticate: [ch({ nonce: 'm', qop: 'auth', algorithm: 'SHA-256' })] }, request);
  const asMap = client().answer(
    { wwwAuthenticate: [{ scheme: 'Digest', params: new Map([['realm', realm], ['nonce', 'm'], ['qop', 'auth'], ['algorithm', 'SHA-256']]) }] },
    request,
  );
  assert.ok(asRecord.ok && asMap.ok);
  assert.equal(asMap.value.headers[0]!.value, asRecord.value.headers[0]!.value);
});

test('glue: a parsed 401 SipMessage is answered for its Request-URI', () => {
  const text = [
    'SIP/2.0 401 Unauthorized',
    'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1',
    'From: <sip:alice@example.com>;tag=1',
    'To: <sip:alice@example.com>;tag=2',
    'Call-ID: x',
    'CSeq: 1 REGISTER',
    'WWW-Authenticate: Digest realm="example.com", nonce="abc", algorithm=MD5, qop="auth"',
    'WWW-Authenticate: Digest realm="example.com", nonce="def", algorithm=SHA-256, qop="auth"',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const r = parseMessage(Buffer.from(text), { datagram: true });
  assert.equal(r.kind, 'ok');
  const challenges = digestChallengesOf((r as { message: SipMessage }).message);
  assert.equal(challenges.wwwAuthenticate?.length, 2);
  const reqText = 'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK2\r\nFrom: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\nCall-ID: x\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n';
  const q = parseMessage(Buffer.from(reqText), { datagram: true });
  assert.equal(q.kind, 'ok');
  const a = client().answer(challenges, digestRequestOf((q as { message: SipMessage }).message));
  assert.ok(a.ok);
  const p = params(a.value.headers[0]!);
  assert.equal(p.algorithm, 'SHA-256');
  assert.equal(p.nonce, 'def');
  assert.equal(p.uri, 'sip:example.com');
  assert.equal(p.response, expectedResponse(p, 'SHA-256'));
});

test('peer values cannot inject header lines; quotes in them are escaped', () => {
  const inject = client().answer({ wwwAuthenticate: [ch({ nonce: 'a\r\nX-Evil: 1' })] }, request);
  assert.deepEqual(inject, { ok: false, error: { refused: 'malformed-challenge', reason: 'control character in nonce' } });
  const quoted = client().answer({ wwwAuthenticate: [ch({ nonce: 'a"b\\c', opaque: '"' })] }, request);
  assert.ok(quoted.ok);
  const p = params(quoted.value.headers[0]!);
  assert.equal(p.nonce, 'a"b\\c');
  assert.equal(p.opaque, '"');
  assert.equal(p.response, expectedResponse(p));
});

test('parseAuthHeader never throws on random input', () => {
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const alphabet = 'Digest realm=",\\ \t\r\nabcXYZ09*\'%';
  for (let i = 0; i < 20000; i++) {
    let s = next() % 2 ? 'Digest ' : '';
    const len = next() % 60;
    for (let k = 0; k < len; k++) s += alphabet[next() % alphabet.length];
    const r = parseAuthHeader(s);
    assert.equal(typeof r.ok, 'boolean');
    if (r.ok) for (const c of r.value) assert.equal(typeof c.scheme, 'string');
  }
});
