import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedDir } from '../../../support/paths.js';
import { computeDigest, digestUserhash, type DigestAlgorithm } from '../../../../src/sip/auth/index.js';

interface Vector {
  name: string;
  algorithm: string;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
  qop: string;
  ha1: string;
  ha2: string;
  response: string;
  response_printed_in_rfc: string;
  matches_rfc: boolean;
  userhash?: string;
}

const vectors = (JSON.parse(readFileSync(sharedDir('conformance', 'digest', 'vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors;

// The vectors name their algorithm in prose; map to ours by the first word.
function algorithmOf(v: Vector): DigestAlgorithm | undefined {
  if (v.algorithm.startsWith('MD5')) return 'MD5';
  if (v.algorithm.startsWith('SHA-256')) return 'SHA-256';
  if (v.algorithm.startsWith('SHA-512-256')) return 'SHA-512-256';
  return undefined; // "SHA-512 truncated": not a real algorithm
}

test('the vector file holds the five published examples', () => {
  assert.deepEqual(
    vectors.map((v) => v.name),
    ['rfc2617-3.5', 'rfc7616-3.9.1-md5', 'rfc7616-3.9.1-sha256', 'rfc7616-3.9.2-sha512-256', 'rfc7616-3.9.2-as-printed'],
  );
});

for (const v of vectors) {
  const algorithm = algorithmOf(v);
  if (algorithm === undefined) {
    test(`${v.name}: SHA-512-256 does not reproduce the RFC's mis-printed values`, () => {
      const got = computeDigest({ ...v, algorithm: 'SHA-512-256', qop: 'auth' });
      assert.notEqual(got.response, v.response_printed_in_rfc);
      assert.notEqual(digestUserhash('SHA-512-256', v.username, v.realm), v.userhash);
    });
    continue;
  }
  test(`${v.name}: HA1, HA2 and response`, () => {
    assert.equal(v.qop, 'auth');
    const got = computeDigest({ ...v, algorithm, qop: 'auth' });
    assert.equal(got.ha1, v.ha1);
    assert.equal(got.ha2, v.ha2);
    assert.equal(got.response, v.response);
    if (v.matches_rfc) assert.equal(got.response, v.response_printed_in_rfc);
    if (v.userhash !== undefined) assert.equal(digestUserhash(algorithm, v.username, v.realm), v.userhash);
  });
}

test('RFC 2069 compatibility (no qop): response = H(HA1:nonce:HA2)', () => {
  const v = vectors[0]!;
  const got = computeDigest({ algorithm: 'MD5', username: v.username, realm: v.realm, password: v.password, method: v.method, uri: v.uri, nonce: v.nonce });
  // MD5("939e7578ed9e3c518a452acee763bce9:dcd98b7102dd2f0e8b11d0f600bfb0c093:39aff3a2bab6126f332b942af96d3366")
  assert.equal(got.ha1, v.ha1);
  assert.equal(got.response, '670fd8c2df070c60b045671b8b24ff02');
});

// The -sess and auth-int forms have no published vector; these values were computed by hand
// (plain node:crypto over the RFC 7616 §3.4 strings), independently of the code under test.
test('MD5-sess: HA1 = H(H(user:realm:pass):nonce:cnonce)', () => {
  const v = vectors[0]!;
  const got = computeDigest({ ...v, algorithm: 'MD5-sess', qop: 'auth' });
  assert.equal(got.ha1, '5edb191b66dce1584c16cb7e7346fcee');
  assert.equal(got.response, '8e3825c57e897f5a0dec6c2d4e5059d0');
});

for (const [algorithm, ha1, response] of [
  ['SHA-256-sess', 'bca21f4c7d7e8bf70d96361085370c7d219947abc1b8cd628f710917b89bed5b', '2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7'],
  ['SHA-512-256-sess', '7bda9d6d426c30b563dd560a3fcddd2be830ed2f46019752dcf95ea629c4e570', '3f2a34f923c38b0fb26dce2fdfc2ce326c23cecf86fbb1444f3e51fbbc2cb92e'],
] as const) {
  test(`${algorithm}: session HA1 and response on the RFC 7616 §3.9.1 inputs`, () => {
    const v = vectors[1]!;
    const got = computeDigest({ ...v, algorithm, qop: 'auth' });
    assert.equal(got.ha1, ha1);
    assert.equal(got.response, response);
  });
}

test('qop=auth-int hashes the body into HA2', () => {
  const v = vectors[0]!;
  const got = computeDigest({ ...v, algorithm: 'MD5', qop: 'auth-int', method: 'INVITE', uri: 'sip:bob@example.com', body: Buffer.from('v=0\r\n') });
  assert.equal(got.ha2, '8c0f2314c33c45f68d9ef8b26ffbc836');
  assert.equal(got.response, '6a6e449f512a9f3e11597febd92718ea');
  const empty = computeDigest({ ...v, algorithm: 'MD5', qop: 'auth-int', method: 'REGISTER', uri: 'sip:example.com' });
  assert.equal(empty.ha2, 'a59fa3b9a70324f59fbd25ea43acb7e6');
});
