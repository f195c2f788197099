import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromNodeError } from '../../../src/net/index.js';

const rows: Array<[string, string]> = [
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-untrusted-issuer'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'tls-untrusted-issuer'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls-untrusted-issuer'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls-untrusted-issuer'],
  ['CERT_HAS_EXPIRED', 'tls-expired'],
  ['CERT_NOT_YET_VALID', 'tls-not-yet-valid'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-wrong-host'],
  ['CERT_REVOKED', 'tls-revoked'],
  ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls-handshake-failed'],
  ['ECONNREFUSED', 'connection-refused'],
  ['ECONNRESET', 'connection-reset'],
  ['EADDRINUSE', 'address-in-use'],
  ['EHOSTUNREACH', 'host-unreachable'],
  ['EWHATEVER', 'socket-error'],
];

for (const [nodeCode, code] of rows) {
  test(`node error ${nodeCode} maps to ${code} with a human message naming the context and the cause`, () => {
    const e = fromNodeError(Object.assign(new Error('raw text'), { code: nodeCode }), 'TLS connection to sip.example.com');
    assert.equal(e.code, code);
    assert.equal(e.cause, nodeCode);
    assert.ok(e.message.startsWith('TLS connection to sip.example.com: '), e.message);
  });
}

test('a non-Error value still maps, without throwing', () => {
  assert.equal(fromNodeError('boom', 'x').code, 'socket-error');
  assert.equal(fromNodeError(null, 'x').code, 'socket-error');
});
