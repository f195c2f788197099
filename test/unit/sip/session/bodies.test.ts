import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDtmfRelay, parseDtmfRelay, parseDtmf, dtmfOfInfo, formatSipfrag, parseSipfrag, reasonForStatus, referToValue,
} from '../../../../src/sip/session/index.js';
import { HeaderId, parseMessage } from '../../../../src/sip/message/index.js';
import { replacesInReferTo, referTarget } from '../../../../src/sip/session/index.js';

test('dtmf-relay bodies: format and parse, case and spacing, event numbers, flash', () => {
  assert.equal(formatDtmfRelay('5', 250), 'Signal=5\r\nDuration=250\r\n');
  const rows: Array<[string, { signal: string; durationMs: number | undefined } | undefined]> = [
    ['Signal=5\r\nDuration=160\r\n', { signal: '5', durationMs: 160 }],
    ['signal = *\nduration= 100', { signal: '*', durationMs: 100 }],
    ['Signal=a\r\n', { signal: 'A', durationMs: undefined }],
    ['Signal=11\r\nDuration=90\r\n', { signal: '#', durationMs: 90 }],
    ['Signal=16\r\n', { signal: 'hf', durationMs: undefined }],
    ['Signal=hf\r\nDuration=100\r\n', { signal: 'hf', durationMs: 100 }],
    ['Signal=!\r\n', { signal: 'hf', durationMs: undefined }],
    ['Signal=E\r\n', undefined],
    ['Signal=17\r\n', undefined],
    ['Duration=100\r\n', undefined],
    ['', undefined],
  ];
  for (const [body, want] of rows) assert.deepEqual(parseDtmfRelay(Buffer.from(body)), want, JSON.stringify(body));
});

test('application/dtmf bodies and dispatch by content type', () => {
  assert.deepEqual(parseDtmf('7'), { signal: '7', durationMs: undefined });
  assert.deepEqual(parseDtmf(' 10 \r\n'), { signal: '*', durationMs: undefined });
  assert.equal(parseDtmf('77'), undefined);
  assert.deepEqual(dtmfOfInfo('application/dtmf', Buffer.from('#')), { signal: '#', durationMs: undefined });
  assert.deepEqual(dtmfOfInfo('application/dtmf-relay', Buffer.from('Signal=1\r\n')), { signal: '1', durationMs: undefined });
  assert.equal(dtmfOfInfo('text/plain', Buffer.from('1')), undefined);
});

test('sipfrag status lines', () => {
  assert.equal(formatSipfrag(180, 'Ringing'), 'SIP/2.0 180 Ringing\r\n');
  assert.deepEqual(parseSipfrag('SIP/2.0 200 OK\r\n'), { status: 200, reason: 'OK' });
  assert.deepEqual(parseSipfrag('SIP/2.0 503 Service Unavailable\r\nRetry-After: 5\r\n'), { status: 503, reason: 'Service Unavailable' });
  assert.deepEqual(parseSipfrag(Buffer.from('sip/2.0 100 Trying')), { status: 100, reason: 'Trying' });
  assert.deepEqual(parseSipfrag('SIP/2.0 486'), { status: 486, reason: '' });
  assert.equal(parseSipfrag('INVITE sip:a@b SIP/2.0\r\n'), undefined);
  assert.equal(parseSipfrag('SIP/2.0 99 Odd\r\n'), undefined);
  assert.equal(parseSipfrag('SIP/2.0 2000 OK\r\n'), undefined);
  assert.equal(parseSipfrag(''), undefined);
});

test('status codes map to end reasons', () => {
  const rows: Array<[number, string]> = [
    [486, 'busy'], [600, 'busy'], [603, 'declined'], [404, 'not-found'], [604, 'not-found'], [480, 'unavailable'],
    [503, 'unavailable'], [408, 'no-answer'], [488, 'codec-mismatch'], [606, 'codec-mismatch'], [302, 'redirected'],
    [401, 'auth-failed'], [407, 'auth-failed'], [403, 'forbidden'], [487, 'request-terminated'], [500, 'failed'],
  ];
  for (const [status, reason] of rows) assert.equal(reasonForStatus(status), reason, String(status));
});

test('Refer-To with Replaces: escaped on the way out, decoded on the way in', () => {
  const v = referToValue('sip:carol@192.0.2.30;transport=tcp', 'abc@h;to-tag=t1;from-tag=f1');
  assert.equal(v, '<sip:carol@192.0.2.30;transport=tcp?Replaces=abc%40h%3Bto-tag%3Dt1%3Bfrom-tag%3Df1>');
  const msg = parseMessage(Buffer.from(`REFER sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 1 REFER\r\nMax-Forwards: 70\r\nRefer-To: ${v}\r\nContent-Length: 0\r\n\r\n`), { datagram: true });
  assert.equal(msg.kind, 'ok');
  if (msg.kind !== 'ok') return;
  const na = msg.message.get(HeaderId.ReferTo)!;
  assert.equal(replacesInReferTo(na), 'abc@h;to-tag=t1;from-tag=f1');
  assert.equal(referTarget(na), 'sip:carol@192.0.2.30;transport=tcp');
  assert.equal(referToValue('sip:carol@h'), '<sip:carol@h>');
});
