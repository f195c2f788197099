import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, HeaderId, serializeMessage } from '../../../../src/sip/message/index.js';
import { formatVia, newBranch, stampReceived } from '../../../../src/sip/transport/index.js';

const req = (via: string) =>
  createRequest({
    method: 'OPTIONS',
    uri: 'sip:bob@example.com',
    headers: [['Via', via], ['Via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1'], ['Max-Forwards', '70'], ['From', '<sip:a@example.com>;tag=1'], ['To', '<sip:bob@example.com>'], ['Call-ID', 'c1'], ['CSeq', '1 OPTIONS']],
  });

test('newBranch starts with the magic cookie and is unique (RFC 3261 §8.1.1.7)', () => {
  const a = newBranch();
  const b = newBranch();
  assert.match(a, /^z9hG4bK[a-z0-9]{20}$/);
  assert.notEqual(a, b);
});

test('formatVia writes transport, sent-by, branch and rport', () => {
  assert.equal(formatVia({ transport: 'udp', host: '192.0.2.1', port: 5060, branch: 'z9hG4bKx' }), 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx;rport');
  assert.equal(formatVia({ transport: 'wss', host: 'abc.invalid', branch: 'z9hG4bKx', rport: false }), 'SIP/2.0/WSS abc.invalid;branch=z9hG4bKx');
  assert.equal(formatVia({ transport: 'tcp', host: '2001:db8::1', port: 5070, branch: 'z9hG4bKx' }), 'SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKx;rport');
});

const rows: Array<{ name: string; via: string; src: [string, number]; top: string }> = [
  // §18.2.1: sent-by is a name → received added.
  { name: 'host name', via: 'SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1', src: ['192.0.2.4', 5060], top: 'SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1;received=192.0.2.4' },
  // §18.2.1: sent-by equals the source address → nothing added.
  { name: 'same address', via: 'SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1', src: ['192.0.2.4', 5060], top: 'SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1' },
  // RFC 3581 §4: rport filled with the source port, received always added.
  { name: 'rport', via: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport', src: ['192.0.2.4', 61000], top: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport=61000;received=192.0.2.4' },
  { name: 'rport same address', via: 'SIP/2.0/UDP 192.0.2.4:5060;rport;branch=z9hG4bK1', src: ['192.0.2.4', 5060], top: 'SIP/2.0/UDP 192.0.2.4:5060;rport=5060;branch=z9hG4bK1;received=192.0.2.4' },
  { name: 'IPv6 sent-by in brackets', via: 'SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1', src: ['2001:db8::9', 5060], top: 'SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1' },
];
for (const r of rows) {
  test(`stampReceived: ${r.name}`, () => {
    const m = req(r.via);
    assert.equal(stampReceived(m, r.src[0], r.src[1]), true);
    assert.deepEqual(m.headerAll(HeaderId.Via), [r.top, 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1']);
    // The stamped message still serializes and parses with the same branch.
    assert.match(serializeMessage(m).toString(), new RegExp(`^Via: ${r.top.replace(/[.[\]]/g, '\\$&')}\\r$`, 'm'));
    assert.equal(m.branch, 'z9hG4bK1');
  });
}
