import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUri, parseUri, type Uri, type Via } from '../../../../src/sip/message/index.js';
import { applyRouteSet, isOurVia, nextHopUri, responseDestination, routeEntryForUri } from '../../../../src/sip/transport/index.js';

const u = (s: string): Uri => {
  const r = parseUri(s);
  assert.ok(r.ok, s);
  return r.value;
};
const via = (over: Partial<Via>): Via => ({
  protocol: 'SIP/2.0', transport: 'UDP', host: 'pc33.example.com', port: undefined, params: new Map(), branch: 'z9hG4bK1',
  received: undefined, rport: undefined, maddr: undefined, ttl: undefined, ...over,
});

test('loose route set: Request-URI is the remote target, Route is the set (§12.2.1.1)', () => {
  const r = applyRouteSet(u('sip:bob@192.0.2.4'), [routeEntryForUri(u('sip:p1.example.com;lr')), routeEntryForUri(u('sip:p2.example.com;lr'))]);
  assert.equal(formatUri(r.requestUri), 'sip:bob@192.0.2.4');
  assert.deepEqual(r.routes, ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  assert.equal(formatUri(nextHopUri(r.requestUri, [u('sip:p1.example.com;lr')])), 'sip:p1.example.com;lr');
});

test('strict first route: it becomes the Request-URI and the remote target goes last (§12.2.1.1)', () => {
  const r = applyRouteSet(u('sip:bob@192.0.2.4'), [routeEntryForUri(u('sip:p1.example.com')), routeEntryForUri(u('sip:p2.example.com;lr'))]);
  assert.equal(formatUri(r.requestUri), 'sip:p1.example.com');
  assert.deepEqual(r.routes, ['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>']);
  // The next hop of a strict-routed request is its Request-URI.
  assert.equal(formatUri(nextHopUri(r.requestUri, [u('sip:p1.example.com')])), 'sip:p1.example.com');
});

test('empty route set: Request-URI = remote target, no Route', () => {
  const r = applyRouteSet(u('sip:bob@192.0.2.4;transport=tcp'), []);
  assert.equal(formatUri(r.requestUri), 'sip:bob@192.0.2.4;transport=tcp');
  assert.deepEqual(r.routes, []);
});

const arrivalUdp = { transport: 'udp' as const, sourceAddress: '192.0.2.4', sourcePort: 61000 };
const destRows: Array<[string, Via, Parameters<typeof responseDestination>[1], { host: string; port: number; connectionId?: string }]> = [
  ['UDP with received and rport → received:rport (RFC 3581 §4)', via({ received: '192.0.2.4', rport: 61000 }), arrivalUdp, { host: '192.0.2.4', port: 61000 }],
  ['UDP with received, no rport → received:sent-by port (§18.2.2)', via({ received: '192.0.2.4', port: 5070 }), arrivalUdp, { host: '192.0.2.4', port: 5070 }],
  ['UDP without received → sent-by, default 5060', via({ host: '192.0.2.4' }), arrivalUdp, { host: '192.0.2.4', port: 5060 }],
  ['UDP with maddr → maddr:port', via({ maddr: '239.255.255.1', port: 5062, received: '192.0.2.4' }), arrivalUdp, { host: '239.255.255.1', port: 5062 }],
  ['TCP → same connection', via({ transport: 'TCP', received: '192.0.2.4' }), { transport: 'tcp', sourceAddress: '192.0.2.4', sourcePort: 40001, connectionId: 'c7' }, { host: '192.0.2.4', port: 40001, connectionId: 'c7' }],
];
for (const [name, v, arrival, want] of destRows) {
  test(`responseDestination: ${name}`, () => {
    const d = responseDestination(v, arrival);
    assert.equal(d.host, want.host);
    assert.equal(d.port, want.port);
    assert.equal(d.connectionId, want.connectionId);
  });
}

test('isOurVia: only a top Via with a sent-by we used (§18.1.2)', () => {
  const ours = new Set(['192.0.2.1:5060']);
  assert.equal(isOurVia(via({ host: '192.0.2.1', port: 5060 }), ours), true);
  assert.equal(isOurVia(via({ host: '192.0.2.1' }), ours), true);
  assert.equal(isOurVia(via({ host: '255.255.255.255' }), ours), false);
  assert.equal(isOurVia(undefined, ours), false);
});
