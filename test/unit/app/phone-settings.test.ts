import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountOverTransport, applyMediaSettings, settingsOfPhone, withTransport } from '../../../src/app/phone-settings.js';
import { comfortNoiseCodec, pcmaCodec, pcmuCodec } from '../../../src/codecs/index.js';
import { startPhone } from '../../../src/phone/index.js';

test('settings start from the phone; codec order and SRTP go to its media options (CN kept last, unknown names skipped)', async (t) => {
  const phone = await startPhone({ host: '127.0.0.1', codecs: [pcmuCodec, pcmaCodec, comfortNoiseCodec] });
  t.after(() => phone.close());
  assert.deepEqual(settingsOfPhone(phone), { codecOrder: ['PCMU', 'PCMA'], srtp: 'off', transport: 'udp' });
  applyMediaSettings(phone, { codecOrder: ['G722', 'PCMA', 'PCMU'], srtp: 'mandatory' });
  assert.deepEqual(phone.options.media.codecs, [pcmaCodec, pcmuCodec, comfortNoiseCodec]);
  assert.equal(phone.options.media.srtp, 'mandatory');
  applyMediaSettings(phone, { codecOrder: ['opus'], srtp: 'off' });
  assert.deepEqual(phone.options.media.codecs, [pcmaCodec, pcmuCodec, comfortNoiseCodec], 'a list of only codecs this build lacks changes nothing');
  assert.equal(accountOverTransport(phone, 'tcp'), undefined, 'no account: nothing to re-register');
});

test('transport: the account re-registers through its proxy (else its domain) with ;transport= set, none for UDP', async (t) => {
  // The registrar is a closed loopback port: the REGISTERs go nowhere, the settings are what count.
  const phone = await startPhone({ host: '127.0.0.1', account: { aor: 'sip:alice@127.0.0.1:9', password: 'pw', proxy: 'sip:127.0.0.1:9;lr' } });
  t.after(() => phone.close());
  assert.equal(settingsOfPhone(phone).transport, 'udp');
  assert.equal(accountOverTransport(phone, 'udp'), undefined, 'already UDP');
  assert.deepEqual(accountOverTransport(phone, 'tcp'), { account: phone.account, settings: { ...phone.account!.settings, proxy: 'sip:127.0.0.1:9;lr;transport=tcp' } });
  const noProxy = await startPhone({ host: '127.0.0.1', account: { aor: 'sip:bob@127.0.0.1:9', password: 'pw' } });
  t.after(() => noProxy.close());
  assert.equal(accountOverTransport(noProxy, 'tls')?.settings.proxy, 'sip:127.0.0.1:9;transport=tls');
});

test('withTransport: ;transport= replaced on the proxy, or set on the AOR domain (IPv6 bracketed); UDP drops it', () => {
  assert.deepEqual(withTransport({ aor: 'sip:a@x.example', proxy: 'sip:p.example;transport=tcp', password: 'p' }, 'tls'), { aor: 'sip:a@x.example', proxy: 'sip:p.example;transport=tls', password: 'p' });
  assert.deepEqual(withTransport({ aor: 'sip:a@x.example', proxy: 'sip:p.example;transport=tcp' }, 'udp'), { aor: 'sip:a@x.example', proxy: 'sip:p.example' });
  assert.deepEqual(withTransport({ aor: 'sip:a@[::1]:5070' }, 'tcp'), { aor: 'sip:a@[::1]:5070', proxy: 'sip:[::1]:5070;transport=tcp' });
  assert.deepEqual(withTransport({ aor: 'sip:a@x.example' }, 'udp'), { aor: 'sip:a@x.example' });
});
