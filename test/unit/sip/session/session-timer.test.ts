import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/util/index.js';
import { createRequest, createResponse, type SipMessage } from '../../../../src/sip/message/index.js';
import { SessionTimer } from '../../../../src/sip/session/session-timer.js';

const invite = (extra: Array<[string, string]>): SipMessage =>
  createRequest({
    method: 'INVITE',
    uri: 'sip:b@192.0.2.2',
    headers: [['Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1'], ['Max-Forwards', '70'], ['From', '<sip:a@192.0.2.1>;tag=a'], ['To', '<sip:b@192.0.2.2>'],
      ['Call-ID', 'c'], ['CSeq', '1 INVITE'], ['Contact', '<sip:a@192.0.2.1>'], ...extra],
  });

function timer(config = { expires: 1800, minSE: 90 }) {
  const clock = new ManualClock(0);
  const log: string[] = [];
  const t = new SessionTimer(config, clock, {
    refresh: () => log.push(`refresh@${clock.now() / 1000}`),
    expire: () => log.push(`expire@${clock.now() / 1000}`),
    changed: (s, we) => log.push(`interval ${s} ${we ? 'we' : 'peer'}`),
  });
  return { t, clock, log };
}

test('RFC 4028 §9 UAS negotiation table', () => {
  const rows: Array<{ req: Array<[string, string]>; status?: 422; headers: Array<[string, string]>; weRefresh?: boolean }> = [
    { req: [['Supported', 'timer'], ['Session-Expires', '1800']], headers: [['Session-Expires', '1800;refresher=uac'], ['Require', 'timer']], weRefresh: false },
    { req: [['Supported', 'timer'], ['Session-Expires', '1800;refresher=uas']], headers: [['Session-Expires', '1800;refresher=uas']], weRefresh: true },
    { req: [['Session-Expires', '600']], headers: [['Session-Expires', '600;refresher=uas']], weRefresh: true },
    { req: [['Session-Expires', '120;refresher=uac']], headers: [['Session-Expires', '120;refresher=uac'], ['Require', 'timer']], weRefresh: false },
    { req: [['Supported', 'timer'], ['Session-Expires', '60']], status: 422, headers: [['Min-SE', '90']] },
    { req: [['Supported', 'timer']], headers: [['Session-Expires', '1800;refresher=uas']], weRefresh: true },
    { req: [['Min-SE', '3600']], headers: [['Session-Expires', '3600;refresher=uas']], weRefresh: true },
    { req: [], headers: [['Session-Expires', '1800;refresher=uas']], weRefresh: true },
  ];
  for (const row of rows) {
    const { t } = timer();
    const v = t.onRequest(invite(row.req));
    const name = JSON.stringify(row.req);
    if (row.status) {
      assert.equal(v.kind, 'reject', name);
      if (v.kind === 'reject') assert.equal(v.status, 422);
    } else assert.equal(v.kind, 'accept', name);
    assert.deepEqual(v.headers, row.headers, name);
    if (v.kind === 'accept') {
      v.commit?.();
      assert.equal(t.weRefresh, row.weRefresh, name);
    }
  }
});

test('RFC 4028 §10 instants: refresh at half the interval, BYE at interval - min(32, interval/3)', () => {
  for (const [seconds, we, want] of [[90, true, 'refresh@45'], [90, false, 'expire@60'], [1800, true, 'refresh@900'], [1800, false, 'expire@1768']] as const) {
    const { t, clock, log } = timer();
    const res = createResponse(invite([]), 200, 'OK', { toTag: 'b', headers: [['Session-Expires', `${seconds};refresher=${we ? 'uac' : 'uas'}`]] });
    t.onResponse(res);
    clock.advance(4000_000);
    assert.deepEqual(log, [`interval ${seconds} ${we ? 'we' : 'peer'}`, want]);
  }
});

test('RFC 4028 §7.4: request headers, 422 raises Min-SE, a 2xx without Session-Expires stops the timer', () => {
  const { t, clock, log } = timer({ expires: 90, minSE: 90 });
  assert.deepEqual(t.requestHeaders(false), [['Session-Expires', '90'], ['Min-SE', '90']]);
  const r422 = createResponse(invite([]), 422, undefined, { toTag: 'b', headers: [['Min-SE', '300']] });
  assert.equal(t.on422(r422), true);
  assert.equal(t.on422(r422), false, 'no second raise to the same value');
  assert.deepEqual(t.requestHeaders(false), [['Session-Expires', '300'], ['Min-SE', '300']]);
  t.onResponse(createResponse(invite([]), 200, 'OK', { toTag: 'b', headers: [['Session-Expires', '300;refresher=uac']] }));
  assert.deepEqual(t.requestHeaders(true), [['Session-Expires', '300;refresher=uac'], ['Min-SE', '300']]);
  t.onResponse(createResponse(invite([]), 200, 'OK', { toTag: 'b' }));
  assert.equal(t.intervalS, undefined);
  clock.advance(1000_000);
  assert.deepEqual(log, ['interval 300 we']);
});
