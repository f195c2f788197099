import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import { buildDigestAuthorization, parseAuthHeader, type ParsedChallenge } from '../../../../src/sip/auth/index.js';

interface Section {
  title: string;
  headers: { name: string; value: string }[];
}

/** Reads examples.txt: `## title` sections of headers with folded continuation lines. */
function readExamples(): Section[] {
  const sections: Section[] = [];
  for (const line of readFileSync(sharedDir('conformance', 'digest', 'examples.txt'), 'utf8').split('\n')) {
    if (line.startsWith('## ')) {
      if (!line.startsWith('## RFC')) continue; // the WARNING lines are prose
      sections.push({ title: line.slice(3), headers: [] });
    } else if (line.startsWith('#') || line.trim() === '' || line.startsWith('HTTP/')) continue;
    else if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = sections.at(-1)!.headers.at(-1)!;
      last.value += ' ' + line.trim();
    } else {
      const colon = line.indexOf(':');
      sections.at(-1)!.headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
  }
  return sections;
}

const sections = readExamples();
const one = (value: string): ParsedChallenge => {
  const r = parseAuthHeader(value);
  assert.ok(r.ok, `parse: ${value}`);
  assert.equal(r.value.length, 1);
  return r.value[0]!;
};

test('examples.txt has the three RFC exchanges', () => {
  assert.equal(sections.length, 3);
  assert.deepEqual(
    sections.map((s) => s.headers.map((h) => h.name)),
    [
      ['WWW-Authenticate', 'Authorization'],
      ['WWW-Authenticate', 'WWW-Authenticate', 'Authorization', 'Authorization'],
      ['WWW-Authenticate', 'Authorization', 'Authorization'],
    ],
  );
});

test('parser: quoted and unquoted params, qop list, names lower-cased', () => {
  const c = one(sections[1]!.headers[0]!.value);
  assert.equal(c.scheme, 'Digest');
  assert.deepEqual(c.params, {
    realm: 'http-auth@example.org',
    qop: 'auth, auth-int',
    algorithm: 'SHA-256',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  });
});

test("parser: username*=UTF-8'' extended notation is kept as written", () => {
  const c = one(sections[2]!.headers[2]!.value);
  assert.equal(c.params['username*'], "UTF-8''J%C3%A4s%C3%B8n%20Doe");
  assert.equal(c.params.userhash, 'false');
});

// Each example Authorization is rebuilt from its challenge with the example's cnonce and nc=1;
// every parameter must match (order differs between the RFCs, so compare parsed params).
const cases: { name: string; section: number; challenge: number; auth: number; password: string; username: string; uri: string; fix?: Record<string, string> }[] = [
  { name: 'RFC 2617 3.5 MD5 qop=auth', section: 0, challenge: 0, auth: 1, password: 'Circle Of Life', username: 'Mufasa', uri: '/dir/index.html' },
  { name: 'RFC 7616 3.9.1 MD5', section: 1, challenge: 1, auth: 2, password: 'Circle of Life', username: 'Mufasa', uri: '/dir/index.html' },
  { name: 'RFC 7616 3.9.1 SHA-256', section: 1, challenge: 0, auth: 3, password: 'Circle of Life', username: 'Mufasa', uri: '/dir/index.html' },
  {
    name: 'RFC 7616 3.9.2 SHA-512-256 userhash (corrected values)',
    section: 2,
    challenge: 0,
    auth: 1,
    password: 'Secret, or not?',
    username: 'Jäsøn Doe',
    uri: '/doe.json',
    fix: { username: '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b', response: '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5' },
  },
];

for (const k of cases) {
  test(`example: ${k.name}`, () => {
    const s = sections[k.section]!;
    const challenge = one(s.headers[k.challenge]!.value);
    const expected = one(s.headers[k.auth]!.value);
    Object.assign(expected.params, k.fix ?? {});
    const r = buildDigestAuthorization(challenge, { username: k.username, password: k.password }, { method: 'GET', uri: k.uri }, { cnonce: expected.params.cnonce!, nc: 1 });
    assert.ok(r.ok);
    const got = one(r.value);
    assert.equal(got.scheme, 'Digest');
    assert.deepEqual(got.params, expected.params);
  });
}

test('example: RFC 7616 3.9.2 without userhash sends username* (RFC 8187)', () => {
  const s = sections[2]!;
  const challenge = one(s.headers[0]!.value);
  delete challenge.params.userhash;
  const r = buildDigestAuthorization(challenge, { username: 'Jäsøn Doe', password: 'Secret, or not?' }, { method: 'GET', uri: '/doe.json' }, { cnonce: 'x', nc: 1 });
  assert.ok(r.ok);
  assert.equal(one(r.value).params['username*'], "UTF-8''J%C3%A4s%C3%B8n%20Doe");
  assert.equal(one(r.value).params.username, undefined);
});

test('parser: malformed values give reasons, never throw', () => {
  for (const bad of ['', 'Digest realm="x', 'Digest realm=', 'Digest realm="a" nonce="b"', 'realm="x"', 'Digest realm="a", realm="b"', 'Digest ,', '"x"']) {
    const r = parseAuthHeader(bad);
    assert.equal(r.ok, false, bad);
  }
  assert.equal(parseAuthHeader('Digest ' + 'a=b, '.repeat(3000) + 'c=d').ok, false);
});

test('parser: several challenges in one value, escapes in quoted strings', () => {
  const r = parseAuthHeader('Digest realm="a\\"b", nonce=1, algorithm=SHA-256, Digest realm="c", nonce="2"');
  assert.ok(r.ok);
  assert.deepEqual(r.value, [
    { scheme: 'Digest', params: { realm: 'a"b', nonce: '1', algorithm: 'SHA-256' } },
    { scheme: 'Digest', params: { realm: 'c', nonce: '2' } },
  ]);
});
